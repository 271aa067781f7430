"""Your data: download everything Hearth holds about you, and delete your account."""

from flask import Response, abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, logout_user

from webapp import live
from webapp.accounts import bp
from webapp.accounts.views import SETTINGS
from webapp.database.unit_of_work import RuleError, refuse
from webapp.live import STOP_POLLING
from webapp.storage import StorageError, get_storage
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.panels import add_panel
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.your_data.deletion import delete_account
from webapp.your_data.export import (
    EXPORT_DAYS,
    export_topic,
    latest_export,
    own_export,
    request_export,
)
from webapp.your_data.forms import DeleteAccountForm

POLL_EVERY = "2s"


def export_context(export):
    """What the export part shows: the request, the version it shows, and its state."""
    version = live.version_to_show(export_topic(export.id)) if export is not None else ""
    return {
        "export": export,
        "export_version": version,
        "poll_every": POLL_EVERY,
        "downloadable": export is not None and export.is_downloadable(),
        "export_form": EmptyForm(),
        "export_days": EXPORT_DAYS,
    }


def data_page(status=200):
    return render(
        "your_data/data.html",
        "your_data/_export.html",
        status=status,
        **export_context(latest_export(current_user)),
    )


@add_panel(
    SETTINGS, "your-data", "your_data/_settings_section.html", order=90, title=_l("Your data")
)
def your_data_section(user, given):
    return {}


@bp.get("/settings/data")
@login_required
def your_data():
    """Download your data, and delete your account: where to start either."""
    return data_page()


@bp.post("/settings/data/export")
@rate_limited("RATE_LIMIT_DATA_EXPORT", per_user=True)
@login_required
def start_export():
    """Ask for a zip of your data; a job builds it and an email says when it is ready."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect_to(url_for(".your_data"))
    try:
        request_export(current_user._get_current_object())
    except RuleError as error:
        refuse(error)
    else:
        flash(_("We are putting your data together. This page shows when it is ready."), "success")
    if wants_fragment():
        return data_page()
    return redirect(url_for(".your_data") + "#export", 303)


@bp.get("/settings/data/export/<int:export_id>/live")
@live.polled_by(export_topic)
def export_live(export_id):
    """The export part's poll: 204 while the version it shows is current (one Redis read,
    no SQL), the fresh part when it changed, 286 once it is ready or failed."""
    if not wants_fragment():
        return redirect(url_for(".your_data"), 303)
    if live.unchanged(export_topic(export_id), request.args.get("v", "")):
        return Response(status=204)
    if not current_user.is_authenticated:
        abort(404)
    export = own_export(current_user, export_id)
    if export is None:
        abort(404)
    status = STOP_POLLING if export.is_finished else 200
    return render(
        "your_data/data.html", "your_data/_export.html", status=status, **export_context(export)
    )


@bp.get("/settings/data/export/<int:export_id>/download")
@login_required
def download_export(export_id):
    """The zip, to its owner alone, while it is kept (404 to anyone else, and after)."""
    export = own_export(current_user, export_id)
    if export is None or not export.is_downloadable():
        abort(404)
    name = f"hearth-data-{export.ready_at:%Y-%m-%d}.zip"
    try:
        response = get_storage().send(export.storage_key, name, "application/zip")
    except StorageError:
        abort(404)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings/delete", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_ACCOUNT_DELETE", per_user=True)
@login_required
def delete():
    """Delete your account, after typing your password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            delete_account(current_user._get_current_object(), form.password.data)
        except RuleError as error:
            refuse(error, form)
        else:
            # Clear first: logout_user leaves a note in the session that deletes the
            # remember cookie. The session rows went with the account.
            session.clear()
            logout_user()
            flash(_("Your account is deleted. We sent a last email to your address."), "info")
            return redirect_to(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render(
        "your_data/delete.html",
        "your_data/_delete_form.html",
        status=status,
        form=form,
    )
