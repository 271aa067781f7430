"""Inviting people by email, and following an invitation link."""

import sqlalchemy as sa
from flask import abort, flash, session, url_for
from flask_login import current_user, login_required

from webapp.auth.routes import link_problem
from webapp.auth.tokens import TokenError
from webapp.extensions import db
from webapp.forms import EmptyForm
from webapp.groups import bp
from webapp.groups.access import MANAGE, get_group
from webapp.groups.forms import InviteForm
from webapp.groups.invitations import accept, find_invitation, invite, resend, revoke
from webapp.groups.models import Invitation
from webapp.groups.services import GroupError
from webapp.htmx import redirect_to, render
from webapp.ratelimits import rate_limited, view_arg_is
from webapp.timeutil import utcnow


def invitations_page(group, membership, form=None, status=200):
    pending = db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.group_id == group.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc())
    ).all()
    return render(
        "groups/manage/invitations.html",
        "groups/manage/_invite_form.html",
        status=status,
        group=group,
        membership=membership,
        form=form or InviteForm(formdata=None),
        pending=pending,
    )


@bp.route("/groups/<slug>/manage/invitations", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_INVITE", per_user=True)
@login_required
def invitations(slug):
    """Invite by email, and see, resend or revoke pending invitations."""
    group, membership = get_group(slug, MANAGE)
    form = InviteForm()
    if not form.validate_on_submit():
        return invitations_page(group, membership, form, 422 if form.is_submitted() else 200)
    try:
        invite(current_user, group, form.email.data, form.role.data, form.message.data)
    except GroupError as error:
        getattr(form, error.field).errors.append(error.message)
        return invitations_page(group, membership, form, 422)
    db.session.commit()
    flash(f"Invitation sent to {form.email.data}.", "success")
    return redirect_to(url_for("groups.invitations", slug=group.slug))


@bp.post("/groups/<slug>/manage/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@rate_limited("RATE_LIMIT_INVITE", per_user=True, exempt_when=view_arg_is("action", "revoke"))
@login_required
def change_invitation(slug, invitation_id, action):
    """Send a pending invitation again, or take it back."""
    group, _ = get_group(slug, MANAGE)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.group_id != group.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            (resend if action == "resend" else revoke)(current_user, invitation)
        except GroupError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                f"Invitation to {invitation.email} "
                f"{'sent again' if action == 'resend' else 'revoked'}.",
                "success",
            )
    return redirect_to(url_for("groups.invitations", slug=group.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """The page an invitation link opens: accept, or sign up or log in first."""
    try:
        found = find_invitation(token)
    except TokenError as error:
        return link_problem(error, "invitation")
    form = EmptyForm()
    # The invitation is for one address: a forwarded link lets nobody else in.
    someone_else = (
        current_user.is_authenticated and current_user.email_normalized != found.email_normalized
    )
    if current_user.is_authenticated and not someone_else and form.validate_on_submit():
        try:
            group = accept(current_user, found)
        except TokenError as error:
            db.session.rollback()
            return link_problem(error, "invitation")
        db.session.commit()
        flash(f"Welcome to {group.name}!", "success")
        return redirect_to(url_for("groups.detail", slug=group.slug))
    if not current_user.is_authenticated:
        # Lands them back here after logging in; a new account joins when verified.
        session["login_email"] = found.email
    refused = 403 if someone_else else 422
    return render(
        "groups/invitation.html",
        "groups/_invitation.html",
        status=refused if form.is_submitted() else 200,
        invitation=found,
        group=found.group,
        form=form,
        token=token,
        someone_else=someone_else,
    )
