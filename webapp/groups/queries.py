"""Reads about groups that views, and other features, need."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import (
    MANAGER_ROLES,
    Group,
    Invitation,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Role,
    Visibility,
)
from webapp.timeutil import utcnow


def _active_groups_of(user):
    return sa.select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
    )


def visible_groups(user, query="", mine=False):
    """Live groups the user may see (their own only, if mine), matching query, by name."""
    statement = sa.select(Group).where(Group.deleted_at.is_(None)).order_by(Group.name, Group.id)
    if user.is_authenticated:
        if mine:
            statement = statement.where(Group.id.in_(_active_groups_of(user)))
        elif not user.is_site_admin:
            statement = statement.where(
                sa.or_(Group.visibility == Visibility.PUBLIC, Group.id.in_(_active_groups_of(user)))
            )
    else:
        statement = statement.where(Group.visibility == Visibility.PUBLIC)
    if query:
        needle = query.lower()
        statement = statement.where(
            sa.or_(
                sa.func.lower(Group.name).contains(needle, autoescape=True),
                sa.func.lower(Group.description).contains(needle, autoescape=True),
            )
        )
    return statement


def my_groups(user, limit=12):
    return db.session.scalars(visible_groups(user, mine=True).limit(limit)).all()


def latest_group_of(user):
    """The group the user most recently became an active member of, or None."""
    return db.session.scalar(
        sa.select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.created_at.desc(), Membership.id.desc())
        .limit(1)
    )


def member_counts(group_ids):
    """Active members per group id."""
    rows = db.session.execute(
        sa.select(Membership.group_id, sa.func.count())
        .where(Membership.group_id.in_(group_ids), Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.group_id)
    )
    return dict(rows.all())


def _active_members_with_users(group):
    return (
        sa.select(Membership)
        .options(selectinload(Membership.user))
        .where(Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE)
    )


def managers_of(group):
    """Owners first, then organisers, each by when they joined."""
    return db.session.scalars(
        _active_members_with_users(group)
        .where(Membership.role.in_(MANAGER_ROLES))
        .order_by(Membership.role.desc(), Membership.created_at)
    ).all()


def memberships_of(group, query=""):
    """Everyone in the group and asking to join, with their user, matching query."""
    statement = (
        sa.select(Membership)
        .options(contains_eager(Membership.user))
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id)
        .order_by(Membership.status.desc(), User.first_name, User.last_name, User.id)
    )
    if query:
        needle = query.lower()
        statement = statement.where(
            sa.or_(
                sa.func.lower(User.first_name + " " + User.last_name).contains(
                    needle, autoescape=True
                ),
                User.email_normalized.contains(needle, autoescape=True),
            )
        )
    return db.session.scalars(statement).all()


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
    """A statement for the group's membership history, newest first (for paginating)."""
    return (
        sa.select(MembershipEvent)
        .options(selectinload(MembershipEvent.actor), selectinload(MembershipEvent.subject))
        .where(MembershipEvent.group_id == group.id)
        .order_by(MembershipEvent.created_at.desc(), MembershipEvent.id.desc())
    )
