"""Reads about events that views (and other features) need.

"Upcoming" means not yet ended, "past" ended. Both are ranges on starts_at, which the
live indexes of models.Event hold: an event that has not ended started at most
services.MAX_DURATION ago. Drafts are never listed, except to a group's organisers on
the group's page. A series is listed by its next date alone: the later ones are folded
(webapp.events.series.folding), which hides them from the listed events.
"""

import functools
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Bundle, defer, joinedload, load_only

from webapp.database.setup import prepared
from webapp.database.times import utcnow
from webapp.events.models import LISTED_STATUSES, Event, EventListing, EventStatus
from webapp.events.services import MAX_DURATION
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.groups.queries import active_groups_of
from webapp.web.sort_keys import Sort
from webapp.web.vocabulary import sql_constant

UPCOMING, PAST = "upcoming", "past"
# Who asks, as far as which events they may find in lists.
VISITOR, MEMBER, ADMIN = "visitor", "member", "admin"


# Made once: building loader options costs a little on every list. A list shows a card per
# event: neither event's description, and of its group the name and address alone.
_AS_CARDS = (
    defer(Event.description, raiseload=True),
    defer(Event.description_html, raiseload=True),
    joinedload(Event.group, innerjoin=True).load_only(Group.name, Group.slug),
)


# The home page's short list (events/_upcoming.html) shows of each event its title and
# state, its start, how many go, its series, and its group's name: those columns alone.
_AS_SHORT_LIST = (
    load_only(
        Event.title,
        Event.slug,
        Event.status,
        Event.starts_at,
        Event.time_zone,
        Event.going_count,
        Event.series_id,
        raiseload=True,
    ),
    joinedload(Event.group, innerjoin=True).load_only(Group.name, Group.slug),
)


def _listed():
    """Live, published or cancelled events of live groups.

    No join: the filters are all columns of ix_events_listed_by_start, so a page's keys
    (and the count) walk that index alone; event_cards then reads the rows shown, each
    joined to its group.
    """
    return sa.select(Event).where(
        Event.deleted_at.is_(None),
        Event.status.in_([sql_constant(status) for status in LISTED_STATUSES]),
        Event.listing != sql_constant(EventListing.HIDDEN),
    )


def _listed_to(viewer):
    """SQL: an event's listing lets a viewer of this kind find it: public, or of one of
    their groups (the bind parameter viewer_id), or any for a site admin."""
    public = Event.listing == sql_constant(EventListing.PUBLIC)
    if viewer == VISITOR:
        return public
    if viewer == ADMIN:
        return sa.true()
    mine = active_groups_of(sa.bindparam("viewer_id"))
    members = Event.listing == sql_constant(EventListing.MEMBERS)
    return sa.or_(public, sa.and_(members, Event.group_id.in_(mine)))


def _when(statement, when, now, since, reads_rows=False, spans_indexed=False):
    """Upcoming events soonest first (not ended: so started after since, the longest an
    event lasts before now), or past ones newest first.

    The upcoming walk starts at the first event not over (_first_unended_start) where
    that is cheap to find: where the events' spans are indexed (spans_indexed, on
    PostgreSQL), or where the walk reads each event's row (reads_rows: to match a search,
    or to show it), which costs more than finding it.
    """
    if when == PAST:
        statement = statement.where(Event.starts_at <= now, Event.ends_at <= now)
    else:
        statement = statement.where(Event.starts_at > since, Event.ends_at > now)
        if reads_rows or spans_indexed:
            first = _first_unended_start(now, since, spans_indexed)
            statement = statement.where(Event.starts_at >= first)
    return _in_order(statement, when)


def _under_way(moment):
    """SQL: the event has started by moment and not ended (PostgreSQL only). Spelt as
    ix_events_under_way's expression (migrations 0024_events_under_way,
    0030_series_folded), which it uses."""
    return _span().op("@>")(moment)


def _span():
    return sa.func.tstzrange(Event.starts_at, Event.ends_at)


def _first_unended_start(now, since, spans_indexed):
    """SQL: no upcoming event of any list starts before it.

    The month before now is mostly events already over: many, where weekly series meet.
    Where the spans are indexed, the earliest start among the events under way now,
    found by that index, or now if none is. Elsewhere, the first event not over found by
    walking the listing index from since: it passes the month's events in the index
    alone, which a walk that reads rows would have read one by one only to turn them away.
    """
    if spans_indexed:
        # The least start of the spans themselves: PostgreSQL would find min(starts_at)
        # by walking the listing index in order, through the month, not by the spans' index.
        earliest = sa.func.min(sa.func.lower(_span()))
        under_way = _listed().with_only_columns(earliest).where(_under_way(now))
        return sa.func.coalesce(under_way.scalar_subquery(), now)
    return (
        _listed()
        .with_only_columns(Event.starts_at)
        .where(Event.starts_at > since, Event.ends_at > now)
        .order_by(Event.starts_at)
        .limit(1)
        .scalar_subquery()
    )


def spans_indexed():
    """Whether the database indexes the events' spans (ix_events_under_way): PostgreSQL."""
    return db.engine.dialect.name == "postgresql"


# Upcoming events soonest first, past ones newest first.
_ORDERS = {
    UPCOMING: Sort((Event.starts_at, Event.id)),
    PAST: Sort((Event.starts_at, Event.id), descending=True),
}


def _in_order(statement, when):
    return statement.order_by(*_ORDERS[when].order())


class EventCard(NamedTuple):
    """What a list shows of an event: read as plain columns, not as an Event. A list
    changes none of its events, and loading a page of ORM rows with their groups was a
    large share of /events' Python calls."""

    id: int
    slug: str
    title: str
    starts_at: datetime
    time_zone: str
    status: EventStatus
    going_count: int
    group_slug: str
    group_name: str
    series_id: int | None

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED


class _Cards(Bundle):
    def create_row_processor(self, query, procs, labels):
        def card(row):
            return EventCard(*[proc(row) for proc in procs])

        return card


_CARD = _Cards(
    "card",
    Event.id,
    Event.slug,
    Event.title,
    Event.starts_at,
    Event.time_zone,
    Event.status,
    Event.going_count,
    Group.slug,
    Group.name,
    Event.series_id,
)


def event_cards(keys, when=UPCOMING):
    """EventCards of the events in keys (a page's keys: starts_at and id), in their order."""
    return (
        sa.select(_CARD)
        .select_from(keys)
        .join(Event, Event.id == keys.c.id)
        .join(Group, Group.id == Event.group_id)
        .order_by(*_ORDERS[when].order(keys.c))
    )


@functools.cache
def _home_events(viewer, with_spans_indexed):
    """The home page's events for a visitor (public ones) or a member (of their groups),
    built once for each kind of database; values: now, since, limit, and user_id for a
    member.

    The next events' keys first, walking the listing index alone, then those few rows:
    a walk that read each event's row turned away, one row at a time, every event that
    started since the earliest one under way and is over (many, where weekly series meet).

    Kept with one plan for all values: planning it anew cost PostgreSQL more than running
    it, on every visit, and a plan made for the values was no better (for a member, which
    groups are theirs is a query inside it, which the planner cannot see into; for a
    visitor, the values are only times and a limit).
    """
    keys = _listed().with_only_columns(Event.starts_at, Event.id)
    if viewer == VISITOR:
        keys = keys.where(_listed_to(VISITOR))
    else:
        keys = keys.where(Event.group_id.in_(active_groups_of(sa.bindparam("user_id"))))
    # reads_rows: SQLite's index holds no more than the start, and reads each row.
    keys = _when(
        keys,
        UPCOMING,
        sa.bindparam("now"),
        sa.bindparam("since"),
        reads_rows=True,
        spans_indexed=with_spans_indexed,
    )
    keys = keys.limit(sa.bindparam("limit")).subquery()
    return prepared(
        sa.select(Event)
        .options(*_AS_SHORT_LIST)
        .join(keys, keys.c.id == Event.id)
        .order_by(*_ORDERS[UPCOMING].order(keys.c)),
        one_plan=True,
    )


def upcoming_for_home(user, limit=5):
    """The next events of the user's groups; for a visitor, the next public ones."""
    now = utcnow()
    values = {"now": now, "since": now - MAX_DURATION, "limit": limit}
    if user.is_authenticated:
        values["user_id"] = user.id
    statement = _home_events(MEMBER if user.is_authenticated else VISITOR, spans_indexed())
    return db.session.scalars(statement, values).all()


@functools.cache
def _group_events(with_drafts):
    """upcoming_of_group's statement, built once; values: group_id, now, since, limit."""
    # A series shows by its next date (webapp.events.series.folding), drafts too.
    live = sa.select(Event.id).where(
        Event.group_id == sa.bindparam("group_id"),
        Event.deleted_at.is_(None),
        ~Event.series_folded,
    )
    limit = sa.bindparam("limit")
    upcoming = live.where(Event.status.in_(LISTED_STATUSES))
    ids = _when(upcoming, UPCOMING, sa.bindparam("now"), sa.bindparam("since")).limit(limit)
    if with_drafts:
        drafts = (
            live.where(Event.status == EventStatus.DRAFT)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
        ids = sa.union_all(ids.subquery().select(), drafts.subquery().select())
    return sa.select(Event).where(Event.id.in_(ids)).order_by(Event.starts_at, Event.id)


def upcoming_of_group(group, with_drafts=False, limit=5):
    """The group's next events, and for its organisers its drafts too (whatever their
    dates, or a draft in the past could never be found again), by start: one query."""
    now = utcnow()
    values = {"group_id": group.id, "now": now, "since": now - MAX_DURATION, "limit": limit}
    return db.session.scalars(_group_events(with_drafts), values).all()


def listed_group(slug):
    """The live group at slug (for the list's group filter), or None."""
    return db.session.scalar(sa.select(Group).where(Group.slug == slug, Group.listed()))
