"""The admin's actions on people and groups. GET asks (a page, or a dialog with
JavaScript); POST, with its CSRF token, acts, records itself in the audit log and goes
back to the list with a message. A refused action answers 422 with the reason."""

from flask import abort, flash, url_for
from flask_login import current_user

from webapp.accounts.models import User
from webapp.admin import bp
from webapp.admin.services import (
    deactivate_user,
    grant_site_admin,
    reactivate_user,
    restore_group,
    revoke_site_admin,
    suspend_group,
)
from webapp.database.unit_of_work import RuleError, refuse
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

# Each action: (rule, question, explanation, button, done); question and done are whole
# sentences made for the name of the person or group acted on, in the request's language.
USER_ACTIONS = {
    "deactivate": (
        deactivate_user,
        lambda name: _("Deactivate %(name)s?", name=name),
        _l("They are logged out everywhere at once and cannot log in until reactivated."),
        _l("Deactivate"),
        lambda name: _("%(name)s is deactivated and logged out everywhere.", name=name),
    ),
    "reactivate": (
        reactivate_user,
        lambda name: _("Reactivate %(name)s?", name=name),
        _l("They can log in again."),
        _l("Reactivate"),
        lambda name: _("%(name)s can log in again.", name=name),
    ),
    "make-admin": (
        grant_site_admin,
        lambda name: _("Make %(name)s a site admin?", name=name),
        _l("They can manage every person and group, and see the outbox and the audit log."),
        _l("Make site admin"),
        lambda name: _("%(name)s is a site admin.", name=name),
    ),
    "unmake-admin": (
        revoke_site_admin,
        lambda name: _("Take site admin away from %(name)s?", name=name),
        _l("They keep their account and their groups."),
        _l("Take site admin away"),
        lambda name: _("%(name)s is no longer a site admin.", name=name),
    ),
}

GROUP_ACTIONS = {
    "suspend": (
        suspend_group,
        lambda name: _("Suspend %(name)s?", name=name),
        _l(
            "Nobody but site admins can find or open the group, its events or polls; nobody "
            "can join, answer, vote or change anything in it until it is restored."
        ),
        _l("Suspend"),
        lambda name: _("%(name)s is suspended.", name=name),
    ),
    "restore": (
        restore_group,
        lambda name: _("Restore %(name)s?", name=name),
        _l("The group, its events and polls are back for their members and visitors."),
        _l("Restore"),
        lambda name: _("%(name)s is restored.", name=name),
    ),
}


def confirm_or_act(action, subject, name, back):
    """One of the actions above on subject, asked first."""
    act, question, explanation, button, done = action
    return confirmation(
        lambda actor: act(actor, subject),
        question(name),
        explanation,
        button,
        done(name),
        back,
    )


def confirmation(act, question, explanation, button, done, back):
    """GET: the question. POST: act(actor), then back to the list with done; 422 with
    the reason when a rule refuses (or the form is not valid)."""
    form = EmptyForm()
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                act(current_user)
            except RuleError as error:
                refuse(error, form)
            else:
                flash(done, "success")
                return redirect_to(back)
    return render(
        "admin/confirm.html",
        "admin/_confirm.html",
        status=status,
        form=form,
        question=question,
        explanation=explanation,
        button=button,
        back=back,
    )


@bp.route(
    "/users/<int:user_id>/<any(deactivate, reactivate, 'make-admin', 'unmake-admin'):action>",
    methods=["GET", "POST"],
)
def user_action(user_id, action):
    """Deactivate or reactivate an account; make or unmake a site admin."""
    user = db.session.get(User, user_id) or abort(404)
    back = url_for("admin.users", q=user.email)
    return confirm_or_act(USER_ACTIONS[action], user, user.name or user.email, back)


@bp.route("/groups/<int:group_id>/<any(suspend, restore):action>", methods=["GET", "POST"])
def group_action(group_id, action):
    """Suspend a group (hidden and frozen), or restore it."""
    group = db.session.get(Group, group_id)
    if group is None or not group.is_live:
        abort(404)
    back = url_for("admin.groups", q=group.name)
    return confirm_or_act(GROUP_ACTIONS[action], group, group.name, back)
