"""The settings page: profile, appearance, password and email address, then the sections
other features add to it (event email and the calendar feed, your data) as panels of the
place "accounts.settings" (webapp/web/panels.py)."""

import json

from flask import flash, redirect, request, url_for
from flask_babel import refresh as refresh_language
from flask_login import current_user, login_required

from webapp.accounts import bp
from webapp.accounts.forms import ChangeEmailForm, ChangePasswordForm, ProfileForm
from webapp.accounts.links import link_problem
from webapp.accounts.services import (
    change_password,
    confirm_email_change,
    request_email_change,
    update_profile,
)
from webapp.accounts.tokens import TokenError, check_token
from webapp.database.unit_of_work import RuleError, refuse
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.panels import panels_of
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

SECTIONS = {
    "profile": "accounts/_profile_form.html",
    # A template's name, not a password.
    "password": "accounts/_password_form.html",  # nosec B105
    "email": "accounts/_email_form.html",
}
# Where other features add sections: add_panel(SETTINGS, name, template, order, title),
# whose build(user, given) returns what its template reads and `given` (the forms of
# the section being answered) lacks.
SETTINGS = "accounts.settings"


def settings_page(section="profile", status=200, **forms):
    """The settings page, or one section of it for htmx, with the forms given or fresh ones."""
    # The sections not posted show what is stored: formdata=None keeps them from reading
    # another section's request (an absent checkbox would read as unticked).
    if "profile_form" not in forms:
        forms["profile_form"] = ProfileForm(formdata=None, obj=current_user)
    if "password_form" not in forms:
        forms["password_form"] = ChangePasswordForm(formdata=None)
    if "email_form" not in forms:
        forms["email_form"] = ChangeEmailForm(formdata=None)
    sections = panels_of(SETTINGS)
    fragments = dict(SECTIONS)
    for added in sections:
        fragments[added.name] = added.template
        for name, value in added.build(current_user, forms).items():
            forms.setdefault(name, value)
    return render(
        "accounts/settings.html",
        fragments[section],
        status=status,
        added_sections=sections,
        **forms,
    )


def saved(section, message, **fresh_forms):
    """After a change: the fresh section for htmx, or Post/Redirect/Get without it."""
    flash(message, "success")
    if wants_fragment():
        return settings_page(section, **fresh_forms)
    return redirect(url_for("accounts.settings") + f"#{section}", 303)


@bp.get("/settings")
@login_required
def settings():
    """Show every setting of the logged-in member."""
    return settings_page()


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Save name, time zone, appearance, notification choice and language."""
    if request.method == "GET":
        # The section's page of its own shows what is stored, as the settings page does.
        return settings_page("profile")
    form = ProfileForm()
    if not form.validate_on_submit():
        return settings_page("profile", 422, profile_form=form)
    language_before = current_user.language
    update_profile(
        current_user,
        form.first_name.data,
        form.last_name.data,
        form.time_zone.data,
        form.appearance.data,
        form.email_notifications.data,
        form.language.data,
    )
    language_changed = current_user.language != language_before
    if language_changed:
        # This answer is already in the new language, not only the next page.
        refresh_language()
    fresh = ProfileForm(formdata=None, obj=current_user)
    response = saved("profile", _("Your profile is saved."), profile_form=fresh)
    if language_changed and wants_fragment():
        # The rest of the page is in the old language: htmx loads it afresh.
        response.headers["HX-Refresh"] = "true"
    # The page's own theme follows at once, without a reload.
    response.headers["HX-Trigger"] = json.dumps({"hearth:appearance": current_user.appearance})
    return response


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; other sessions of this account end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.password.data)
        except RuleError as error:
            refuse(error, form)
        else:
            return saved("password", _("Your password is changed. Other devices are logged out."))
    return settings_page("password", 422 if form.is_submitted() else 200, password_form=form)


@bp.route("/settings/email", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EMAIL_CHANGE", per_user=True)
@login_required
def email():
    """Start an email change: a link goes to the new address."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            request_email_change(current_user, form.email.data, form.current_password.data)
        except RuleError as error:
            refuse(error, form)
        else:
            return saved(
                "email",
                _(
                    "We sent a link to %(email)s. Your address changes when you follow it.",
                    email=form.email.data,
                ),
            )
    return settings_page("email", 422 if form.is_submitted() else 200, email_form=form)


@bp.route(
    "/settings/email/confirm/<token>", methods=["GET", "POST"], endpoint="confirm_email_change"
)
def confirm_email_change_link(token):
    """GET shows a button; the POST moves the account to the new address."""
    form = EmptyForm()
    try:
        check_token(token, "change_email")
        if not form.validate_on_submit():
            status = 422 if form.is_submitted() else 200
            return render(
                "accounts/confirm_email.html",
                "accounts/_confirm_email.html",
                status=status,
                form=form,
                token=token,
            )
        user = confirm_email_change(token)
    except TokenError as error:
        return link_problem(error, "change_email")
    except RuleError as error:
        refuse(error)
        return redirect_to(url_for("main.home"))
    flash(_("Your email address is now %(email)s.", email=user.email), "success")
    return redirect_to(url_for("accounts.settings"))
