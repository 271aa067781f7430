"""Reads about groups that views, and other features, need."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, load_only, selectinload

from webapp.accounts.models import User
from webapp.audit.models import AuditEntry
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import (
    Group,
    Invitation,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from webapp.web.listing import Listing
from webapp.web.sort_keys import Sort


def active_groups_of(user_id):
    """The groups a user (an id, or a bind parameter) is an active member of."""
    return sa.select(Membership.group_id).where(
        Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE
    )


# Made once: building loader options is not free, and every list would pay for it.
_WITHOUT_DESCRIPTIONS = (
    defer(Group.description, raiseload=True),
    defer(Group.description_html, raiseload=True),
)


def without_group_texts(path):
    """A loader option for a group read along with what belongs to it (an event, a poll):
    path (contains_eager(Event.group), say) without the group's texts, which the pages of
    what belongs to it never show, and every column read costs each such request."""
    texts = (Group.description, Group.description_html, Group.summary)
    return path.options(*(defer(text, raiseload=True) for text in texts))


# Lists of groups go by name.
BY_NAME = Sort((Group.name, Group.id))
# Who asks, as far as which groups they may find in lists.
VISITOR, MEMBER, ADMIN = "visitor", "member", "admin"


@functools.cache
def groups_listing(viewer, mine, searching):
    """The list of groups for one shape of request, built once (see webapp.web.listing.Listing):
    what a viewer of this kind may see, or only their own, matching a search or not. Its
    values come from visible_groups.

    Lists show a group's summary, never its description: the two long texts stay in the
    database (they were most of the bytes a page of the list read).
    """
    statement = sa.select(Group).where(Group.listed())
    theirs = Group.id.in_(active_groups_of(sa.bindparam("user_id")))
    if mine:
        statement = statement.where(theirs)
    elif viewer == MEMBER:
        statement = statement.where(sa.or_(Group.visibility == Visibility.PUBLIC, theirs))
    elif viewer == VISITOR:
        statement = statement.where(Group.visibility == Visibility.PUBLIC)
    if searching:
        statement = statement.where(group_matches(sa.bindparam("pattern")))
    # A search counts its matches apart: the text's indexes find them faster than a walk
    # in name order.
    return Listing(statement, sort=BY_NAME, rows=group_cards, counted_apart=searching)


def visible_groups(user, query="", mine=False):
    """(Listing, values): the live groups user may see (their own only, if mine), matching
    query, by name, for paginate."""
    if not user.is_authenticated:
        viewer, mine = VISITOR, False
    else:
        viewer = ADMIN if user.is_site_admin else MEMBER
    values = {"user_id": user.id} if user.is_authenticated else {}
    if query:
        values["pattern"] = like_anywhere(query)
    return groups_listing(viewer, mine, bool(query)), values


def group_cards(keys):
    """The groups in keys (a page's keys: name and id), in their order, without their
    descriptions."""
    return (
        sa.select(Group)
        .options(*_WITHOUT_DESCRIPTIONS)
        .select_from(keys)
        .join(Group, Group.id == keys.c.id)
        .order_by(*BY_NAME.order(keys.c))
    )


def like_anywhere(text):
    """A LIKE pattern for text anywhere, its own % and _ taken literally (escape "\\")."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# The expressions below are those migration 0005_speed indexes with pg_trgm on
# PostgreSQL: change one, and its index must change with it, or searches scan the table.
def group_matches(pattern):
    """SQL: name or description matches pattern (like_anywhere's, or a bind parameter)."""
    return sa.or_(
        sa.func.lower(Group.name).like(pattern, escape="\\"),
        sa.func.lower(Group.description).like(pattern, escape="\\"),
    )


def member_matches(query):
    pattern = like_anywhere(query)
    # A literal space, not a bound parameter: the index is on lower(first || ' ' || last).
    full_name = User.first_name + sa.literal_column("' '") + User.last_name
    return sa.or_(
        sa.func.lower(full_name).like(pattern, escape="\\"),
        User.email_normalized.like(pattern, escape="\\"),
    )


# Built once, its values bound at execution: the home page asks on every visit, and
# shows each group's name as a link, nothing more.
_MY_GROUPS = (
    sa.select(Group)
    .options(load_only(Group.name, Group.slug, raiseload=True))
    .where(Group.listed(), Group.id.in_(active_groups_of(sa.bindparam("user_id"))))
    .order_by(Group.name, Group.id)
    .limit(sa.bindparam("limit"))
)


def my_groups(user, limit=12):
    """The live groups user is an active member of, by name: their names and addresses."""
    return db.session.scalars(_MY_GROUPS, {"user_id": user.id, "limit": limit}).all()


def latest_group_of(user):
    """The group the user most recently became an active member of, or None."""
    return db.session.scalar(
        sa.select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.created_at.desc(), Membership.id.desc())
        .limit(1)
    )


def _active_members_with_users(group):
    return (
        sa.select(Membership)
        .options(selectinload(Membership.user))
        .where(Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE)
    )


# Owners and organisers: every role but member. Written with literals, not parameters, as
# migration 0010_group_managers indexes (MANAGERS_ONLY) and keeps statistics on
# (MANAGED_GROUP_ID), so PostgreSQL matches them in any plan it caches.
MANAGERS_ONLY = Membership.role != sa.literal_column(f"'{Role.MEMBER.value}'")
MANAGED_GROUP_ID = sa.case((MANAGERS_ONLY, Membership.group_id))


def managers_in(group_id):
    """Criteria for the active owners and organisers of a group (an id, or a bind
    parameter)."""
    return (
        Membership.group_id == group_id,
        MANAGERS_ONLY,
        # Adds nothing to the two above but the planner's estimate: from group_id and role
        # apart it expected thousands of a big group's managers (there are a handful), and
        # started parallel workers to find them: far slower than its plan with this.
        group_id == MANAGED_GROUP_ID,
        Membership.status == MembershipStatus.ACTIVE,
    )


# Built once, its values bound at execution: every view of a group names its organisers.
_MANAGERS = (
    sa.select(Membership)
    .join(User, User.id == Membership.user_id)
    .options(contains_eager(Membership.user))
    .where(*managers_in(sa.bindparam("group_id")))
    .order_by(Membership.role.desc(), Membership.created_at)
)


def managers_of(group):
    """Owners first, then organisers, each by when they joined (one query, users joined)."""
    return db.session.scalars(_MANAGERS, {"group_id": group.id}).all()


def _memberships(group, status, query):
    statement = (
        sa.select(Membership)
        .options(contains_eager(Membership.user))
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, Membership.status == status)
        # Joining order walks ix_memberships_group_status: a page of a big group costs
        # what a page of a small one does; an order by name would sort them all.
        .order_by(Membership.id)
    )
    return statement.where(member_matches(query)) if query else statement


def members_of(group, query=""):
    """A statement for the group's active members with their user, matching query (to page)."""
    return _memberships(group, MembershipStatus.ACTIVE, query)


def requests_to_join(group, query="", limit=5):
    """The oldest requests to join, with their user, matching query."""
    return db.session.scalars(
        _memberships(group, MembershipStatus.PENDING, query).limit(limit)
    ).all()


def membership_in(group, membership_id):
    """The membership with this id if it belongs to group, else None."""
    return db.session.scalar(
        sa.select(Membership).where(Membership.id == membership_id, Membership.group_id == group.id)
    )


def others_than_owners(group):
    """Active members who could be handed the group."""
    return db.session.scalars(
        _active_members_with_users(group).where(Membership.role != Role.OWNER)
    ).all()


def pending_invitations(group):
    return db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.group_id == group.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at.desc())
    ).all()


def invitation_in(group, invitation_id):
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.id == invitation_id, Invitation.group_id == group.id)
    )


def history_of(group):
    """A statement for the group's history (the audit log for it), newest first."""
    return (
        sa.select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .where(AuditEntry.group_id == group.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
