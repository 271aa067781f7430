"""Reads for the task pages: an event's tasks, its settings, the people a task can go to,
and a person's open tasks across their groups."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus
from webapp.tasks.models import Task, TaskSettings
from webapp.web.listing import Listing


def tasks_of(event):
    """The event's tasks with their assignees, in the order they were added (one query)."""
    return db.session.scalars(
        sa.select(Task)
        .outerjoin(User, User.id == Task.assignee_id)
        .options(contains_eager(Task.assignee))
        .where(Task.event_id == event.id)
        .order_by(Task.id)
    ).all()


def members_add(event):
    """Whether the event's organisers let members add tasks (no row: they do not)."""
    settings = db.session.get(TaskSettings, event.id)
    return bool(settings and settings.members_add)


def assignable_people(group):
    """Active members of group, by name: who a task can go to (one query)."""
    return db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group.id,
            Membership.status == MembershipStatus.ACTIVE,
            User.active.is_(True),
        )
        .order_by(User.first_name, User.last_name, User.id)
    ).all()


def is_assignable(group, user_id):
    """user_id is an active member of group, with an active account."""
    return (
        db.session.scalar(
            sa.select(sa.literal(True))
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.group_id == group.id,
                Membership.user_id == user_id,
                Membership.status == MembershipStatus.ACTIVE,
                User.active.is_(True),
            )
        )
        is not None
    )


@functools.cache
def my_open_tasks():
    """A person's open tasks on the live, not cancelled events of the groups they are an
    active member of: soonest due first (no date last), with event and group (a Listing;
    its value: user_id)."""
    me = sa.bindparam("user_id")
    statement = (
        sa.select(Task)
        .join(Event, Event.id == Task.event_id)
        .join(Group, Group.id == Event.group_id)
        .join(
            Membership,
            sa.and_(
                Membership.group_id == Event.group_id,
                Membership.user_id == me,
                Membership.status == MembershipStatus.ACTIVE,
            ),
        )
        .options(contains_eager(Task.event).contains_eager(Event.group))
        .where(
            Task.assignee_id == me,
            Task.done_at.is_(None),
            Event.deleted_at.is_(None),
            Event.status == EventStatus.PUBLISHED,
            Group.deleted_at.is_(None),
        )
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    )
    return Listing(statement)
