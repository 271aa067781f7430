"""Invitations by email: single use, seven days, revocable, resent at a polite pace."""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.accounts.models import User, hash_token, normalize_email
from webapp.accounts.tokens import TokenError
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.extensions import db
from webapp.groups.membership import current_membership
from webapp.groups.models import HistoryAction, Invitation, Membership, MembershipStatus
from webapp.groups.services import record
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import ngettext

VALID_FOR = timedelta(days=7)
RESEND_INTERVAL = timedelta(minutes=5)


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="hearth.invitation")


def _send(invitation, inviter):
    nonce = secrets.token_urlsafe(24)
    invitation.nonce_hash = hash_token(nonce)
    token = _serializer().dumps(nonce)
    # The address may already have an account: its holder reads it in their language.
    recipient = db.session.scalar(
        sa.select(User).where(User.email_normalized == invitation.email_normalized)
    )
    mail.send_template(
        invitation.email,
        _l(
            "%(name)s invited you to %(group)s on Hearth",
            name=inviter.name,
            group=invitation.group.name,
        ),
        "group_invitation",
        language=language_of(recipient),
        invitation=invitation,
        inviter=inviter,
        group=invitation.group,
        url=public_url.absolute_url("groups.invitation", token=token),
    )


def invite(actor, group, email, role, message):
    """Invite an address; says so if it is already a member or already invited."""
    normalized = normalize_email(email)
    member = db.session.scalar(
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, User.email_normalized == normalized)
    )
    if member is not None and member.is_active:
        raise RuleError(_("This person is already a member of the group."), "email")
    pending = db.session.scalars(
        sa.select(Invitation).where(
            Invitation.group_id == group.id, Invitation.email_normalized == normalized
        )
    )
    if any(invitation.is_pending for invitation in pending):
        raise RuleError(
            _("This address is already invited. You can resend the invitation."), "email"
        )
    now = utcnow()
    invitation = Invitation(
        group=group,
        email=email,
        email_normalized=normalized,
        role=role,
        message=message,
        invited_by_id=actor.id,
        created_at=now,
        last_sent_at=now,
        expires_at=now + VALID_FOR,
    )
    db.session.add(invitation)
    _send(invitation, actor)
    db.session.flush()
    record(group, actor, HistoryAction.INVITED, subject_email=email, detail=role)
    return invitation


def resend(actor, invitation):
    """A fresh link and seven more days; the previous link stops working."""
    if not invitation.is_pending:
        raise RuleError(_("Only pending invitations can be resent."))
    now = utcnow()
    wait = invitation.last_sent_at + RESEND_INTERVAL - now
    if wait > timedelta(0):
        minutes = max(1, round(wait.total_seconds() / 60))
        raise RuleError(
            ngettext(
                "It was sent moments ago. Try again in %(num)d minute.",
                "It was sent moments ago. Try again in %(num)d minutes.",
                minutes,
            )
        )
    invitation.last_sent_at = now
    invitation.expires_at = now + VALID_FOR
    _send(invitation, actor)
    record(invitation.group, actor, HistoryAction.INVITATION_RESENT, subject_email=invitation.email)


def revoke(actor, invitation):
    if not invitation.is_pending:
        raise RuleError(_("This invitation is no longer pending."))
    invitation.revoked_at = utcnow()
    record(
        invitation.group, actor, HistoryAction.INVITATION_REVOKED, subject_email=invitation.email
    )


def find_invitation(signed):
    """The invitation behind a link, or TokenError saying why it cannot be used."""
    try:
        nonce = _serializer().loads(signed)
    except BadSignature:
        raise TokenError("tampered") from None
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.nonce_hash == hash_token(str(nonce)))
    )
    if invitation is None or not invitation.group.is_open:
        raise TokenError("unknown")
    if invitation.accepted_at is not None:
        raise TokenError("used")
    if invitation.revoked_at is not None:
        raise TokenError("revoked")
    if invitation.expires_at <= utcnow():
        raise TokenError("expired")
    return invitation


def inviter_may_still_grant(invitation):
    """An invitation grants no more than its inviter may grant now: an inviter who has
    since left, lost the organiser role or been deactivated lets nobody in."""
    inviter = invitation.invited_by
    if inviter is None or not inviter.active:
        return False
    if inviter.is_site_admin:
        return True
    membership = current_membership(inviter, invitation.group)
    return bool(membership and membership.can_manage)


def accept(user, invitation):
    """Join the group with the invitation's role; of two clicks exactly one uses it."""
    group = invitation.group
    lock_row(group)
    if not inviter_may_still_grant(invitation):
        raise TokenError("revoked")
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise TokenError("used")
    membership = current_membership(user, group)
    if membership is None:
        db.session.add(Membership(group_id=group.id, user_id=user.id, role=invitation.role))
    elif not membership.is_active:
        membership.status = MembershipStatus.ACTIVE
        membership.role = invitation.role
    record(group, user, HistoryAction.INVITATION_ACCEPTED, subject=user, detail=invitation.role)
    db.session.flush()
    return group


def accept_pending_for(user):
    """A newly verified address joins every group that invited it and is still waiting."""
    invitations = db.session.scalars(
        sa.select(Invitation).where(
            Invitation.email_normalized == user.email_normalized,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    ).all()
    return [
        accept(user, invitation)
        for invitation in invitations
        if invitation.group.is_live and inviter_may_still_grant(invitation)
    ]
