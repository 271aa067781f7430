"""Rules of who is in a group and in which role: joining, asking to join and the
answer, leaving, roles, removal, handing the group over.

They flush and raise RuleError; the request commits. Every change to who is in a group,
or in which role, first locks the group's row and then re-reads what it decides on, so
two clicks at the same moment are decided one after the other; one active owner always
stays.
"""

import sqlalchemy as sa
from sqlalchemy.exc import InvalidRequestError

from webapp.accounts.models import User
from webapp.accounts.tokens import ALL_NOTIFICATIONS, unsubscribe_url
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.extensions import db
from webapp.groups.access import is_site_admin
from webapp.groups.models import (
    MANAGER_ROLES,
    HistoryAction,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from webapp.groups.services import record
from webapp.groups.signals import member_left
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


def current_membership(user, group):
    """Read after the group is locked: what another request changed a moment ago counts."""
    return db.session.scalar(
        sa.select(Membership)
        .where(Membership.group_id == group.id, Membership.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def join_group(user, group):
    """Join an open group, or ask to join one that needs approval. Returns the status."""
    lock_row(group)
    if group.is_suspended:
        raise RuleError(_("This group is suspended: nobody can join it for now."))
    membership = current_membership(user, group)
    if membership is not None:
        raise RuleError(
            _("You are already a member.")
            if membership.is_active
            else _("Your request is pending.")
        )
    if group.join_policy == JoinPolicy.INVITATION:
        raise RuleError(_("This group is by invitation only."))
    status = (
        MembershipStatus.ACTIVE
        if group.join_policy == JoinPolicy.OPEN
        else MembershipStatus.PENDING
    )
    db.session.add(Membership(group_id=group.id, user_id=user.id, role=Role.MEMBER, status=status))
    action = HistoryAction.JOINED if status == MembershipStatus.ACTIVE else HistoryAction.REQUESTED
    record(group, user, action, subject=user)
    db.session.flush()
    if status == MembershipStatus.PENDING:
        tell_managers_of_request(group, user)
    return status


def tell_managers_of_request(group, requester):
    """Owners and organisers who want email, and whose accounts are active, hear of it."""
    managers = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role.in_(MANAGER_ROLES),
            User.email_notifications.is_(True),
            User.active.is_(True),
        )
    )
    for manager in managers:
        mail.send_template(
            manager.email,
            _l("%(name)s asked to join %(group)s", name=requester.name, group=group.name),
            "group_join_request",
            language=language_of(manager),
            user=manager,
            requester=requester,
            group=group,
            url=public_url.absolute_url("groups.manage.members", slug=group.slug),
            # Only the profile's switch governs this mail: its link turns that off.
            unsubscribe_url=unsubscribe_url(manager, ALL_NOTIFICATIONS),
        )


def leave_group(user, group):
    """Leave, or withdraw a pending request. The last owner must hand over first."""
    lock_row(group)
    membership = current_membership(user, group)
    if membership is None:
        raise RuleError(_("You are not a member of this group."))
    if membership.is_owner and owner_count(group) <= 1:
        raise RuleError(_("You are the last owner. Make someone else an owner before leaving."))
    was_active = membership.is_active
    record(group, user, HistoryAction.LEFT if was_active else HistoryAction.WITHDREW, subject=user)
    db.session.delete(membership)
    db.session.flush()
    if was_active:
        member_left.send(group, user=user)


def owner_count(group):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(
            Membership.group_id == group.id,
            Membership.role == Role.OWNER,
            Membership.status == MembershipStatus.ACTIVE,
        )
    )


def _reread(membership, gone_message):
    """The membership as it is now, under the group lock; RuleError if it is gone."""
    try:
        db.session.refresh(membership)
    except InvalidRequestError:
        raise RuleError(gone_message) from None
    return membership


def decide_request(actor, group, membership, approve):
    """Approve or decline a pending request; the requester is told by email either way."""
    lock_row(group)
    _reread(membership, _("This request was already decided or withdrawn."))
    if membership.status != MembershipStatus.PENDING:
        raise RuleError(_("This request was already decided."))
    user = membership.user
    if approve:
        membership.status = MembershipStatus.ACTIVE
        record(group, actor, HistoryAction.APPROVED, subject=user)
    else:
        db.session.delete(membership)
        record(group, actor, HistoryAction.DECLINED, subject=user)
    mail.send_template(
        user.email,
        _l("Your request to join %(group)s", group=group.name),
        "group_request_decided",
        language=language_of(user),
        user=user,
        group=group,
        approved=approve,
    )
    db.session.flush()


def has_owner_rights(actor, group):
    """Read under the group lock: a role changed by someone else a moment ago counts."""
    if is_site_admin(actor):
        return True
    membership = current_membership(actor, group)
    return bool(membership and membership.is_owner)


def change_role(actor, group, membership, role):
    """Set a member's role. Organisers promote members to organiser; only owners change
    the role of an organiser or an owner, or make owners; one owner always stays."""
    lock_row(group)
    _reread(membership, _("This person is no longer in the group."))
    if not membership.is_active:
        raise RuleError(_("Approve the request before changing the role."))
    if role == membership.role:
        return
    needs_owner = role == Role.OWNER or membership.role != Role.MEMBER
    if needs_owner and not has_owner_rights(actor, group):
        raise RuleError(
            _("Only owners can change the role of organisers and owners, or make owners.")
        )
    previous = membership.role
    membership.role = role
    db.session.flush()
    if owner_count(group) < 1:
        raise RuleError(_("A group needs at least one owner."))
    record(
        group,
        actor,
        HistoryAction.ROLE_CHANGED,
        subject=membership.user,
        detail=f"{previous} → {role}",
    )


def remove_member(actor, group, membership):
    """Remove someone: organisers remove members, owners anyone but the last owner."""
    lock_row(group)
    _reread(membership, _("This person is no longer in the group."))
    if membership.role != Role.MEMBER and not has_owner_rights(actor, group):
        raise RuleError(_("Only owners can remove organisers and owners."))
    if membership.is_owner and owner_count(group) <= 1:
        raise RuleError(_("A group needs at least one owner."))
    was_active, user = membership.is_active, membership.user
    record(group, actor, HistoryAction.REMOVED, subject=user)
    db.session.delete(membership)
    db.session.flush()
    if was_active:
        member_left.send(group, user=user)


def transfer_ownership(actor, group, new_owner):
    """Make new_owner an owner; the actor, if an owner, steps down to organiser."""
    lock_row(group)
    _reread(new_owner, _("Choose another active member of the group."))
    if not new_owner.is_active or new_owner.user_id == actor.id:
        raise RuleError(_("Choose another active member of the group."), "new_owner")
    if not has_owner_rights(actor, group):
        raise RuleError(_("Only owners can hand the group over."), "new_owner")
    new_owner.role = Role.OWNER
    actor_membership = current_membership(actor, group)
    if actor_membership is not None and actor_membership.is_owner:
        actor_membership.role = Role.ORGANISER
    record(group, actor, HistoryAction.OWNERSHIP_TRANSFERRED, subject=new_owner.user)
    db.session.flush()
