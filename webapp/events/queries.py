"""Reads about events that views (and other features) need.

"Upcoming" means not yet ended, "past" ended. Both are ranges on starts_at, which the
live indexes of models.Event hold: an event that has not ended started at most
services.MAX_DURATION ago. Drafts are never listed, except to a group's organisers on
the group's page.
"""

import functools
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Bundle, defer, joinedload

from webapp.column_stats import ColumnStats
from webapp.events.models import LISTED_STATUSES, Event, EventListing, EventStatus
from webapp.events.services import MAX_DURATION
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.groups.queries import active_groups_of, like_anywhere
from webapp.pagination import LOOKAHEAD_PAGES, Listing, Sort
from webapp.timeutil import utcnow
from webapp.vocabulary import sql_constant

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


def _when(statement, when, now, since, reads_rows=False):
    """Upcoming events soonest first (not ended: so started after since, the longest an
    event lasts before now), or past ones newest first.

    reads_rows: the walk reads each event's row (to match a search, or to show it), not
    its listing index alone; it then starts at the first event not over (see below).
    """
    if when == PAST:
        statement = statement.where(Event.starts_at <= now, Event.ends_at <= now)
    else:
        statement = statement.where(Event.starts_at > since, Event.ends_at > now)
        if reads_rows:
            statement = statement.where(Event.starts_at >= _first_unended_start(now, since))
    return _in_order(statement, when)


def _first_unended_start(now, since):
    """SQL: when the earliest listed event that has not ended started (NULL if none has).

    No upcoming event of any list starts before it. The month before now is mostly events
    already over (800 at 10x); a walk that reads rows read each of them only to turn it
    away (1.3 of the anonymous home page's 1.4 ms of SQL at 10x), while this one reads
    the listing index alone and stops at the first event not over. A walk of the index
    alone (a page's keys, the count) passes them as fast as this does, and planning this
    too would cost it more than it saves.
    """
    return (
        _listed()
        .with_only_columns(Event.starts_at)
        .where(Event.starts_at > since, Event.ends_at > now)
        .order_by(Event.starts_at)
        .limit(1)
        .scalar_subquery()
    )


# The weeks the counts of listed events are kept by (migration 0022_event_week_counts):
# whole weeks of seconds since 1970-01-01 UTC. Their scopes: every listed event (what a
# site admin finds), public events, and a group's members-only events (its id).
WEEK_SECONDS = 7 * 24 * 60 * 60
_EVERY_LISTED, _PUBLIC = -1, 0
_WEEK_COUNTS = sa.table(
    "event_week_counts", sa.column("scope"), sa.column("week"), sa.column("events")
)


def _counted_scopes(viewer):
    """SQL: a row of event_week_counts counts events of the list a viewer of this kind
    sees (as _listed_to filters them)."""
    scope = _WEEK_COUNTS.c.scope
    if viewer == VISITOR:
        return scope == _PUBLIC
    if viewer == ADMIN:
        return scope == _EVERY_LISTED
    # One array of scopes, the public one and the viewer's groups, read once: the rows of
    # each are then found by the table's key. Tested row by row against the viewer's
    # groups (IN), every group's weeks were read: 2.4 ms at 10x.
    groups = active_groups_of(sa.bindparam("viewer_id")).subquery()
    scopes = sa.select(sa.func.array_append(sa.func.array_agg(groups.c.group_id), _PUBLIC))
    return scope == sa.any_(sa.cast(scopes.scalar_subquery(), sa.ARRAY(sa.Integer)))


def _week_start(week):
    """SQL: the first moment of week (a number, SQL), counted in bigints: an event may be
    set far on, past 2038, when seconds since 1970 outgrow an integer."""
    return sa.func.to_timestamp(sa.cast(week, sa.BigInteger) * WEEK_SECONDS)


def _under_way(moment):
    """SQL: the event has started by moment and not ended (PostgreSQL only). Spelt as
    ix_events_under_way's expression (migration 0024_events_under_way), which it uses."""
    span = sa.func.tstzrange(Event.starts_at, Event.ends_at)
    return span.op("@>")(moment)


def _week_anchor(statement, viewer):
    """SQL, one row: the first moment of the furthest week in which the list of upcoming
    events (statement) may be entered for a page at :page_offset (start), and how many of
    its events come before it (before); or the list's top (:since, 0).

    The events of the weeks to come are counted by week; those before the next week are
    counted in the list itself: the events under way now, found by the index of their
    spans (ix_events_under_way), and those starting from now until then. Walked from the
    list's top, a month ago, that count passed every event of the month already over (800
    at 10x) to find the few still going on.
    """
    now = sa.cast(sa.bindparam("now"), Event.starts_at.type)
    next_week = sa.cast(sa.func.floor(sa.extract("epoch", now) / WEEK_SECONDS), sa.Integer) + 1
    counted = statement.with_only_columns(sa.func.count()).order_by(None)
    under_way = counted.where(_under_way(now)).scalar_subquery()
    starting = counted.where(Event.starts_at > now, Event.starts_at < _week_start(next_week))
    head = under_way + starting.scalar_subquery()
    # Each week's rows (one a scope) with the events of the weeks before it, and of the
    # head: a window over the rows as they are, not summed by week first.
    counts = _WEEK_COUNTS.c
    earlier = sa.func.sum(counts.events).over(order_by=counts.week, range_=(None, -1))
    weeks = (
        sa.select(counts.week, (head + sa.func.coalesce(earlier, 0)).label("before"))
        .where(counts.week >= next_week, _counted_scopes(viewer))
        .subquery()
    )
    furthest = (
        sa.select(_week_start(weeks.c.week).label("start"), weeks.c.before)
        .where(weeks.c.before <= sa.bindparam("page_offset"))
        .order_by(weeks.c.week.desc())
        .limit(1)
        .subquery()
    )
    entries = sa.union_all(
        sa.select(furthest.c.start, furthest.c.before),
        sa.select(
            sa.cast(sa.bindparam("since"), Event.starts_at.type).label("start"),
            sa.literal(0).label("before"),
        ),
    ).subquery()
    return sa.select(entries.c.start, entries.c.before).order_by(entries.c.start.desc()).limit(1)


# Upcoming events soonest first, past ones newest first.
_ORDERS = {
    UPCOMING: Sort((Event.starts_at, Event.id)),
    PAST: Sort((Event.starts_at, Event.id), descending=True),
}


def _in_order(statement, when):
    return statement.order_by(*_ORDERS[when].order())


class EventCard(NamedTuple):
    """What a list shows of an event: read as plain columns, not as an Event. A list
    changes none of its events, and twenty ORM rows with their groups cost a tenth of
    /events' Python calls to load."""

    id: int
    slug: str
    title: str
    starts_at: datetime
    time_zone: str
    status: EventStatus
    going_count: int
    group_slug: str
    group_name: str

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


# What PostgreSQL's statistics say of events' text: how common a searched word is.
SEARCH_TEXT_STATS = ColumnStats("events", "search_text")


def _share_matching(values):
    return SEARCH_TEXT_STATS.share_like(values["pattern"])


def event_matches(pattern):
    """SQL: title or description matches pattern (like_anywhere's, or a bind parameter)."""
    return Event.search_text.like(pattern, escape="\\")


def _viewer_kind(user):
    if not user.is_authenticated:
        return VISITOR
    return ADMIN if user.is_site_admin else MEMBER


@functools.cache
def events_listing(viewer, one_group, searching, when):
    """The list of events for one shape of request, built once (see pagination.Listing):
    what a viewer of this kind may see, of one group or all, matching a search or not,
    upcoming or past. Its values come from visible_events."""
    statement = _listed()
    if one_group:
        # The caller has checked that the viewer may see the group.
        statement = statement.where(Event.group_id == sa.bindparam("group_id"))
    else:
        statement = statement.where(_listed_to(viewer))
    statement = _when(
        statement, when, sa.bindparam("now"), sa.bindparam("since"), reads_rows=searching
    )
    return Listing(
        statement,
        sort=_ORDERS[when],
        rows=lambda keys: event_cards(keys, when),
        # Last: PostgreSQL tests a row's filters in the order written (they cost it alike),
        # and matching a text is the dearest by far. Written before the time span, it ran
        # on every past event the count passed too: 6.2 ms of SQL at 1x, 5.2 after; 9.3 and
        # 6.6 at 10x.
        match=event_matches(sa.bindparam("pattern")) if searching else None,
        # A common word fills a page in the first rows of the list, read with one plan
        # for every word; a rare word is planned for, and found by its trigram index.
        # Not one group's list, whose walk's plan depends on the group's size.
        walk_first=_share_matching if searching and not one_group else None,
        # A search counts on only to the page after this one, in the walk that finds the
        # page: every event it counts is an event's text read and matched. Ten pages on
        # ("picnic" at 10x, 201 matches among 1,600 events, counted apart in whatever
        # order PostgreSQL found cheapest) cost 2.6 of the 3.3 ms its statement ran, and
        # a request 9.7 ms in process against 3.3 now ("road": 13 against 4.2). Its pager
        # links the next page and those before.
        lookahead_pages=1 if searching else LOOKAHEAD_PAGES,
        # One plan for every page: the walk of the listing index, whoever looks, when and
        # how far in (tests/test_events_indexes.py). Not for one group's list, which
        # walks the group's index or this one by how many events the group has, nor for a
        # search, which may find a rare word faster through its trigram index.
        one_plan=not one_group and not searching,
        # A page typed far into the upcoming list starts at its week, counted by week:
        # not one group's list (no count by group), nor a search's, nor the past list
        # (whose last month is not counted by its end).
        anchor=(
            _week_anchor(statement, viewer)
            if when == UPCOMING and not one_group and not searching
            else None
        ),
    )


def visible_events(user, query="", when=UPCOMING, group=None):
    """(Listing, values): the events user may see in lists, matching query, of group if
    given, for paginate."""
    listing = events_listing(_viewer_kind(user), group is not None, bool(query), when)
    now = utcnow()
    values = {"now": now, "since": now - MAX_DURATION}
    if group is not None:
        values["group_id"] = group.id
    elif user.is_authenticated:
        values["viewer_id"] = user.id
    if query:
        values["pattern"] = like_anywhere(query)
    return listing, values


@functools.cache
def _home_events(viewer):
    """The home page's events for a visitor (public ones) or a member (of their groups),
    built once; values: now, since, limit, and user_id for a member."""
    statement = _listed().options(*_AS_CARDS)
    if viewer == VISITOR:
        statement = statement.where(_listed_to(VISITOR))
    else:
        statement = statement.where(Event.group_id.in_(active_groups_of(sa.bindparam("user_id"))))
    statement = _when(
        statement, UPCOMING, sa.bindparam("now"), sa.bindparam("since"), reads_rows=True
    )
    return statement.limit(sa.bindparam("limit"))


def upcoming_for_home(user, limit=5):
    """The next events of the user's groups; for a visitor, the next public ones."""
    now = utcnow()
    values = {"now": now, "since": now - MAX_DURATION, "limit": limit}
    if user.is_authenticated:
        values["user_id"] = user.id
    statement = _home_events(MEMBER if user.is_authenticated else VISITOR)
    return db.session.scalars(statement, values).all()


@functools.cache
def _group_events(with_drafts):
    """upcoming_of_group's statement, built once; values: group_id, now, since, limit."""
    live = sa.select(Event.id).where(
        Event.group_id == sa.bindparam("group_id"), Event.deleted_at.is_(None)
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
