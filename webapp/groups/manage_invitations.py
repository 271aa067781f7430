"""Inviting people by email, and resending or revoking what is pending."""

from flask import abort, flash, g, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.groups import manage
from webapp.groups.access import membership_of
from webapp.groups.forms import InviteForm
from webapp.groups.invitations import invite, resend, revoke
from webapp.groups.queries import invitation_in, pending_invitations
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render
from webapp.web.ratelimits import rate_limited, view_arg_is
from webapp.web.translating import gettext as _


def invitations_page(form=None, status=200):
    return render(
        "groups/manage/invitations.html",
        "groups/manage/_invite_form.html",
        status=status,
        group=g.group,
        membership=membership_of(current_user, g.group),
        form=form or InviteForm(formdata=None),
        pending=pending_invitations(g.group),
    )


@manage.route("/invitations", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_INVITE", per_user=True)
def invitations():
    """Invite by email, and see, resend or revoke pending invitations."""
    form = InviteForm()
    if not form.validate_on_submit():
        return invitations_page(form, 422 if form.is_submitted() else 200)
    try:
        invite(current_user, g.group, form.email.data, form.role.data, form.message.data)
    except RuleError as error:
        refuse(error, form)
        return invitations_page(form, 422)
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return redirect_to(url_for("groups.manage.invitations", slug=g.group.slug))


@manage.post("/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@rate_limited("RATE_LIMIT_INVITE", per_user=True, exempt_when=view_arg_is("action", "revoke"))
def change_invitation(invitation_id, action):
    """Send a pending invitation again, or take it back."""
    invitation = invitation_in(g.group, invitation_id) or abort(404)
    if EmptyForm().validate_on_submit():
        email = invitation.email
        try:
            (resend if action == "resend" else revoke)(current_user, invitation)
        except RuleError as error:
            refuse(error)
        else:
            if action == "resend":
                flash(_("Invitation to %(email)s sent again.", email=email), "success")
            else:
                flash(_("Invitation to %(email)s revoked.", email=email), "success")
    return redirect_to(url_for("groups.manage.invitations", slug=g.group.slug))
