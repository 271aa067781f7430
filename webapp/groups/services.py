"""Rules of groups and their members: verb_noun(actor, group, ...).

They flush and raise RuleError; the request commits. Every change to who is in a group,
or in which role, first locks the group's row and then re-reads what it decides on, so
two clicks at the same moment are decided one after the other.
"""

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.exc import IntegrityError, InvalidRequestError

from webapp import mail
from webapp.accounts.models import User
from webapp.audit.models import SubjectType
from webapp.audit.services import log_action
from webapp.extensions import db
from webapp.groups.access import is_site_admin
from webapp.groups.models import (
    MANAGER_ROLES,
    Group,
    GroupSlug,
    HistoryAction,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from webapp.groups.summary import summary_of
from webapp.markdown import render_markdown
from webapp.rules import RuleError, lock_row
from webapp.timeutil import utcnow

# Addresses that routes under /groups/ use for themselves.
RESERVED_SLUGS = {"new"}
SLUG_TAKEN = "Another group already uses this address."


def record(group, actor, action, subject=None, subject_email=None, detail=""):
    """A line of the group's history: the audit log, for this group."""
    if subject is not None:
        log_action(
            actor, action, SubjectType.USER, subject.id, group.id, name=subject.name, detail=detail
        )
    elif subject_email:
        log_action(
            actor, action, SubjectType.USER, None, group.id, email=subject_email, detail=detail
        )
    else:
        log_action(
            actor, action, SubjectType.GROUP, group.id, group.id, name=group.name, detail=detail
        )


def suggest_slug(name):
    return slugify(name, max_length=60, word_boundary=True) or "group"


def slug_taken(slug, group=None):
    if slug in RESERVED_SLUGS:
        return True
    current = db.session.scalar(sa.select(Group.id).where(Group.slug == slug))
    former = db.session.get(GroupSlug, slug)
    others = {current, former.group_id if former else None} - {None}
    return bool(others - {group.id if group else None})


def free_slug_for(name):
    """A slug from the name, numbered when the plain one is taken: book-club, book-club-2."""
    base = suggest_slug(name)
    candidate, number = base, 1
    while slug_taken(candidate):
        number += 1
        candidate = f"{base[:56]}-{number}"
    return candidate


def set_description(group, text):
    """The Markdown people typed, its HTML and its summary made once here, not on each view."""
    group.description = text or ""
    group.description_html = str(render_markdown(group.description))
    group.summary = summary_of(group.description_html)


def create_group(actor, name, slug, description, visibility, join_policy):
    """A new group with actor as its owner."""
    slug = slug or free_slug_for(name)
    if slug_taken(slug):
        raise RuleError(SLUG_TAKEN, "slug")
    group = Group(name=name, slug=slug, visibility=visibility, join_policy=join_policy)
    set_description(group, description)
    try:
        with db.session.begin_nested():
            db.session.add(group)
    except IntegrityError:
        raise RuleError(SLUG_TAKEN, "slug") from None
    db.session.add(Membership(group_id=group.id, user_id=actor.id, role=Role.OWNER))
    record(group, actor, HistoryAction.CREATED, subject=actor)
    return group


def update_group(actor, group, name, slug, description, visibility, join_policy):
    """Change a group's settings; its old address keeps working when the slug changes."""
    if slug != group.slug:
        if slug_taken(slug, group):
            raise RuleError(SLUG_TAKEN, "slug")
        db.session.execute(sa.delete(GroupSlug).where(GroupSlug.slug == slug))
        db.session.add(GroupSlug(slug=group.slug, group_id=group.id))
        group.slug = slug
    group.name = name
    set_description(group, description)
    group.visibility = visibility
    group.join_policy = join_policy
    record(group, actor, HistoryAction.SETTINGS_CHANGED)
    db.session.flush()


def delete_group(actor, group, typed_name):
    """Soft-delete: the group disappears but its rows stay."""
    if typed_name.strip() != group.name:
        raise RuleError("Type the group's name exactly to delete it.", "confirm_name")
    group.deleted_at = utcnow()
    record(group, actor, HistoryAction.DELETED)


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
        raise RuleError("This group is suspended: nobody can join it for now.")
    membership = current_membership(user, group)
    if membership is not None:
        raise RuleError(
            "You are already a member." if membership.is_active else "Your request is pending."
        )
    if group.join_policy == JoinPolicy.INVITATION:
        raise RuleError("This group is by invitation only.")
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
            f"{requester.name} asked to join {group.name}",
            "group_join_request",
            user=manager,
            requester=requester,
            group=group,
            url=mail.absolute_url("groups.manage.members", slug=group.slug),
        )


def leave_group(user, group):
    """Leave, or withdraw a pending request. The last owner must hand over first."""
    lock_row(group)
    membership = current_membership(user, group)
    if membership is None:
        raise RuleError("You are not a member of this group.")
    if membership.is_owner and owner_count(group) <= 1:
        raise RuleError("You are the last owner. Make someone else an owner before leaving.")
    action = HistoryAction.LEFT if membership.is_active else HistoryAction.WITHDREW
    record(group, user, action, subject=user)
    db.session.delete(membership)
    db.session.flush()


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
    _reread(membership, "This request was already decided or withdrawn.")
    if membership.status != MembershipStatus.PENDING:
        raise RuleError("This request was already decided.")
    user = membership.user
    if approve:
        membership.status = MembershipStatus.ACTIVE
        record(group, actor, HistoryAction.APPROVED, subject=user)
    else:
        db.session.delete(membership)
        record(group, actor, HistoryAction.DECLINED, subject=user)
    mail.send_template(
        user.email,
        f"Your request to join {group.name}",
        "group_request_decided",
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
    _reread(membership, "This person is no longer in the group.")
    if not membership.is_active:
        raise RuleError("Approve the request before changing the role.")
    if role == membership.role:
        return
    needs_owner = role == Role.OWNER or membership.role != Role.MEMBER
    if needs_owner and not has_owner_rights(actor, group):
        raise RuleError("Only owners can change the role of organisers and owners, or make owners.")
    previous = membership.role
    membership.role = role
    db.session.flush()
    if owner_count(group) < 1:
        raise RuleError("A group needs at least one owner.")
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
    _reread(membership, "This person is no longer in the group.")
    if membership.role != Role.MEMBER and not has_owner_rights(actor, group):
        raise RuleError("Only owners can remove organisers and owners.")
    if membership.is_owner and owner_count(group) <= 1:
        raise RuleError("A group needs at least one owner.")
    record(group, actor, HistoryAction.REMOVED, subject=membership.user)
    db.session.delete(membership)
    db.session.flush()


def transfer_ownership(actor, group, new_owner):
    """Make new_owner an owner; the actor, if an owner, steps down to organiser."""
    lock_row(group)
    _reread(new_owner, "Choose another active member of the group.")
    if not new_owner.is_active or new_owner.user_id == actor.id:
        raise RuleError("Choose another active member of the group.", "new_owner")
    if not has_owner_rights(actor, group):
        raise RuleError("Only owners can hand the group over.", "new_owner")
    new_owner.role = Role.OWNER
    actor_membership = current_membership(actor, group)
    if actor_membership is not None and actor_membership.is_owner:
        actor_membership.role = Role.ORGANISER
    record(group, actor, HistoryAction.OWNERSHIP_TRANSFERRED, subject=new_owner.user)
    db.session.flush()
