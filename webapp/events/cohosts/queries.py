"""Reads of co-hosts: whether someone co-hosts an event (read along with the event where
a page reads it for its viewer), an event's co-hosts by name, the members who could be
one, and the events someone co-hosts."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.database.prefetch import forget_when_written, prefetched
from webapp.events.cohosts.models import EventCohost
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.access import can_take_part
from webapp.groups.models import Membership, MembershipStatus
from webapp.groups.queries import member_matches

# The members the add form offers at once; a search finds the others.
CANDIDATES_SHOWN = 100

forget_when_written("cohosts", EventCohost)

_BY_NAME = (sa.func.lower(User.first_name), sa.func.lower(User.last_name), User.id)


def _viewer_cohosts():
    """SQL: the viewer (bind parameter viewer_id) co-hosts the event of the statement."""
    return sa.exists().where(
        EventCohost.event_id == Event.id, EventCohost.user_id == sa.bindparam("viewer_id")
    )


class WithCohost:
    """For webapp.groups.access.ReadWithMembership: whether the viewer co-hosts the event,
    read by the event's own query (one row looked up by its key) and remembered as
    memberships are; then inner's values, when another prefetch rides along too.
    event_of: the event, from what the query reads (a task: its event)."""

    def __init__(self, inner=None, event_of=lambda found: found):
        self.inner = inner
        self.event_of = event_of

    def add(self, statement):
        statement = statement.add_columns(_viewer_cohosts())
        return self.inner.add(statement) if self.inner is not None else statement

    def remember(self, user, found, cohosts, *more):
        prefetched("cohosts")[(user.id, self.event_of(found).id)] = bool(cohosts)
        if self.inner is not None:
            self.inner.remember(user, found, *more)


def forget_cohosts():
    """After a write of co-hosts the ORM does not see (a Core statement): ask again."""
    prefetched("cohosts").clear()


def has_cohost_row(user, event):
    """Whether user is named a co-host of event: no query while the event has no co-host,
    nor when the event's own query read it (WithCohost)."""
    if not user.is_authenticated or not event.has_cohosts:
        return False
    known = prefetched("cohosts")
    key = (user.id, event.id)
    if key not in known:
        known[key] = bool(
            db.session.scalar(
                sa.select(
                    sa.exists().where(
                        EventCohost.event_id == event.id, EventCohost.user_id == user.id
                    )
                )
            )
        )
    return known[key]


def cohosts(user, event):
    """user co-hosts event: named so, and still an active member of its group, which is
    open (a suspended group is frozen for its co-hosts as for its organisers)."""
    return has_cohost_row(user, event) and can_take_part(user, event.group)


def cohosts_of(event):
    """event's co-hosts with their users, by name; no query until it has had one."""
    if not event.has_cohosts:
        return []
    return db.session.scalars(
        sa.select(EventCohost)
        .join(User, User.id == EventCohost.user_id)
        .options(contains_eager(EventCohost.user))
        .where(EventCohost.event_id == event.id)
        .order_by(*_BY_NAME)
    ).all()


def candidates_for(event, query="", limit=None):
    """The group's active members (their accounts active too) who do not co-host event
    yet, by name, matching query (a name or an address); one more than limit
    (CANDIDATES_SHOWN), to tell that there are more."""
    limit = limit or CANDIDATES_SHOWN
    already = sa.exists().where(
        EventCohost.event_id == event.id, EventCohost.user_id == Membership.user_id
    )
    statement = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == event.group_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.active.is_(True),
            ~already,
        )
        .order_by(*_BY_NAME)
        .limit(limit + 1)
    )
    if query:
        statement = statement.where(member_matches(query))
    return db.session.scalars(statement).all()
