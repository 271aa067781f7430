"""Owners' and organisers' page for a group's settings, ownership and deletion."""

from functools import wraps

from flask import abort, flash, g, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from webapp.database.unit_of_work import RuleError, refuse
from webapp.groups import manage
from webapp.groups.access import can_own, managed_membership, membership_of
from webapp.groups.forms import DeleteGroupForm, GroupForm, TransferForm
from webapp.groups.membership import transfer_ownership
from webapp.groups.queries import others_than_owners
from webapp.groups.services import delete_group, update_group
from webapp.web.htmx import redirect_to, render
from webapp.web.panels import panel_context
from webapp.web.translating import gettext as _


def owners_only(view):
    """On top of the manage blueprint's check: 403 unless the user owns the group."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not can_own(current_user, g.group):
            abort(403)
        return view(*args, **kwargs)

    return checked


@manage.route("/settings", methods=["GET", "POST"])
def settings():
    """Name, address, description, visibility and join policy."""
    group = g.group
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            update_group(
                current_user,
                group,
                form.name.data,
                form.slug.data or group.slug,
                form.description.data,
                form.visibility.data,
                form.join_policy.data,
                announce_new_events=form.announce_new_events.data,
                answers_kept_days=form.answers_kept_days.data,
                allows_guests=form.allows_guests.data,
            )
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("The group's settings are saved."), "success")
            return redirect_to(url_for("groups.manage.settings", slug=group.slug))
    return settings_page("groups/manage/_settings_form.html", group_form=form)


def settings_page(fragment, **forms):
    """The settings page, or the fragment of the form that was posted, 422 if it has errors."""
    is_owner = can_own(current_user, g.group)
    # Organisers see no owner actions, so they need neither the forms nor the member query.
    forms = {**(owner_forms() if is_owner else {}), **forms}
    forms.setdefault("group_form", GroupForm(obj=g.group, formdata=None))
    submitted_with_errors = request.method == "POST" and any(
        f.errors for f in forms.values() if hasattr(f, "errors")
    )
    # What other features add to the page (the code for another website, open_web), each
    # with its form as posted when it was theirs.
    panels = panel_context("groups.manage.settings", group=g.group, forms=forms)
    return render(
        "groups/manage/settings.html",
        fragment,
        status=422 if submitted_with_errors else 200,
        group=g.group,
        membership=membership_of(current_user, g.group),
        is_owner=is_owner,
        **{**forms, **panels},
    )


def owner_forms():
    transfer = TransferForm(prefix="transfer")
    transfer.new_owner.choices = [
        SelectChoice(m.id, m.user.name) for m in others_than_owners(g.group)
    ]
    return {"transfer_form": transfer, "delete_form": DeleteGroupForm(prefix="delete")}


@manage.post("/transfer")
@owners_only
def transfer():
    """Hand the group to another member; the owner becomes an organiser."""
    forms = owner_forms()
    form = forms["transfer_form"]
    if form.validate_on_submit():
        new_owner = managed_membership(form.new_owner.data)
        try:
            transfer_ownership(current_user, g.group, new_owner)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _("%(name)s now owns %(group)s.", name=new_owner.user.name, group=g.group.name),
                "success",
            )
            return redirect_to(url_for("groups.manage.settings", slug=g.group.slug))
    return settings_page("groups/manage/_owner_actions.html", **forms)


@manage.post("/delete")
@owners_only
def delete():
    """Delete the group, confirmed by typing its name. It is kept, hidden."""
    forms = owner_forms()
    form = forms["delete_form"]
    if form.validate_on_submit():
        name = g.group.name
        try:
            delete_group(current_user, g.group, form.confirm_name.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("%(group)s is deleted.", group=name), "info")
            return redirect_to(url_for("groups.index"))
    return settings_page("groups/manage/_owner_actions.html", **forms)
