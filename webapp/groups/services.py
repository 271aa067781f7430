"""Rules of groups and their members. They flush, never commit; views commit."""

import sqlalchemy as sa
from slugify import slugify
from sqlalchemy.exc import IntegrityError, InvalidRequestError

from webapp import mail
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.access import lock_group
from webapp.groups.models import MANAGER_ROLES, Group, GroupSlug, Membership, MembershipEvent
from webapp.rules import RuleError
from webapp.timeutil import utcnow

# Being replaced by RuleError everywhere; kept as a name while views move over.
GroupError = RuleError


def record(group, actor, action, subject=None, subject_email=None, detail=""):
    db.session.add(
        MembershipEvent(
            group_id=group.id,
            actor_id=actor.id if actor else None,
            subject_id=subject.id if subject else None,
            subject_email=subject_email,
            action=action,
            detail=detail,
        )
    )


def suggest_slug(name):
    return slugify(name, max_length=60, word_boundary=True) or "group"


# Addresses that routes under /groups/ use for themselves.
RESERVED_SLUGS = {"new"}


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


def create_group(actor, name, slug, description, visibility, join_policy):
    """A new group with actor as its owner."""
    slug = slug or free_slug_for(name)
    if slug_taken(slug):
        raise GroupError("Another group already uses this address.", "slug")
    group = Group(
        name=name,
        slug=slug,
        description=description,
        visibility=visibility,
        join_policy=join_policy,
    )
    try:
        with db.session.begin_nested():
            db.session.add(group)
    except IntegrityError:
        raise GroupError("Another group already uses this address.", "slug") from None
    db.session.add(Membership(group_id=group.id, user_id=actor.id, role="owner"))
    record(group, actor, "created", subject=actor)
    return group


def update_group(actor, group, name, slug, description, visibility, join_policy):
    """Change a group's settings; its old address keeps working when the slug changes."""
    if slug != group.slug:
        if slug_taken(slug, group):
            raise GroupError("Another group already uses this address.", "slug")
        db.session.execute(sa.delete(GroupSlug).where(GroupSlug.slug == slug))
        db.session.add(GroupSlug(slug=group.slug, group_id=group.id))
        group.slug = slug
    group.name = name
    group.description = description
    group.visibility = visibility
    group.join_policy = join_policy
    record(group, actor, "settings_changed")
    db.session.flush()


def delete_group(actor, group, typed_name):
    """Soft-delete: the group disappears but its rows stay."""
    if typed_name.strip() != group.name:
        raise GroupError("Type the group's name exactly to delete it.", "confirm_name")
    group.deleted_at = utcnow()
    record(group, actor, "deleted")


def join_group(user, group, membership):
    """Join an open group, or ask to join one that needs approval."""
    if membership is not None:
        raise GroupError(
            "You are already a member." if membership.is_active else "Your request is pending."
        )
    if group.join_policy == "invitation":
        raise GroupError("This group is by invitation only.")
    status = "active" if group.join_policy == "open" else "pending"
    db.session.add(Membership(group_id=group.id, user_id=user.id, role="member", status=status))
    record(group, user, "joined" if status == "active" else "requested", subject=user)
    db.session.flush()
    if status == "pending":
        tell_managers_of_request(group, user)
    return status


def tell_managers_of_request(group, requester):
    """Owners and organisers who want email hear of a request to join."""
    managers = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == "active",
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
            url=mail.absolute_url("groups.members", slug=group.slug),
        )


def leave_group(user, group, membership):
    """Leave, or withdraw a pending request. The last owner must hand over first."""
    if membership is None:
        raise GroupError("You are not a member of this group.")
    lock_group(group)
    if membership.is_owner and owner_count(group) <= 1:
        raise GroupError("You are the last owner. Make someone else an owner before leaving.")
    record(group, user, "left" if membership.is_active else "withdrew", subject=user)
    db.session.delete(membership)
    db.session.flush()


def owner_count(group):
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(
            Membership.group_id == group.id,
            Membership.role == "owner",
            Membership.status == "active",
        )
    )


def decide_request(actor, group, membership, approve):
    """Approve or decline a pending request; the requester is told by email either way."""
    if membership.status != "pending":
        raise GroupError("This request was already decided.")
    user = membership.user
    if approve:
        membership.status = "active"
        record(group, actor, "approved", subject=user)
    else:
        db.session.delete(membership)
        record(group, actor, "declined", subject=user)
    mail.send_template(
        user.email,
        f"Your request to join {group.name}",
        "group_request_decided",
        user=user,
        group=group,
        approved=approve,
    )
    db.session.flush()


def _owner_rights(actor, actor_membership):
    """Read under the group lock: a role changed by someone else a moment ago counts."""
    if actor.is_site_admin:
        return True
    if actor_membership is None:
        return False
    try:
        db.session.refresh(actor_membership)
    except InvalidRequestError:  # removed from the group meanwhile
        return False
    return actor_membership.is_owner


def change_role(actor, actor_membership, group, membership, role):
    """Set a member's role. Only owners make or unmake owners; one owner always stays."""
    lock_group(group)
    db.session.refresh(membership)
    if not membership.is_active:
        raise GroupError("Approve the request before changing the role.")
    if role == membership.role:
        return
    if "owner" in (role, membership.role) and not _owner_rights(actor, actor_membership):
        raise GroupError("Only owners can make or unmake owners.")
    previous = membership.role
    membership.role = role
    db.session.flush()
    if owner_count(group) < 1:
        raise GroupError("A group needs at least one owner.")
    record(group, actor, "role_changed", subject=membership.user, detail=f"{previous} → {role}")


def remove_member(actor, actor_membership, group, membership):
    """Remove someone; organisers remove members, owners remove anyone but the last owner."""
    lock_group(group)
    if membership.role != "member" and not _owner_rights(actor, actor_membership):
        raise GroupError("Only owners can remove organisers and owners.")
    if membership.is_owner and owner_count(group) <= 1:
        raise GroupError("A group needs at least one owner.")
    record(group, actor, "removed", subject=membership.user)
    db.session.delete(membership)
    db.session.flush()


def transfer_ownership(actor, actor_membership, group, new_owner):
    """Make new_owner an owner and step down to organiser."""
    if not new_owner.is_active or new_owner.user_id == actor.id:
        raise GroupError("Choose another active member of the group.", "new_owner")
    lock_group(group)
    if not _owner_rights(actor, actor_membership):
        raise GroupError("Only owners can hand the group over.", "new_owner")
    new_owner.role = "owner"
    if actor_membership is not None and actor_membership.is_owner:
        actor_membership.role = "organiser"
    record(group, actor, "ownership_transferred", subject=new_owner.user)
    db.session.flush()
