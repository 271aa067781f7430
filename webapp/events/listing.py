"""The list of events (/events): what a viewer may find, of one group or all, matching a
search or not, upcoming or past, paged by webapp.web.listing.Listing; and the counts by week
that let a page typed far into the upcoming list start at its week.
"""

import functools

import sqlalchemy as sa

from webapp.database.column_stats import ColumnStats
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.queries import (
    _ORDERS,
    ADMIN,
    MEMBER,
    UPCOMING,
    VISITOR,
    _listed,
    _listed_to,
    _under_way,
    _when,
    event_cards,
    spans_indexed,
)
from webapp.events.services import MAX_DURATION
from webapp.groups.queries import active_groups_of, like_anywhere
from webapp.web.listing import LOOKAHEAD_PAGES, Listing

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
    # groups (IN), every group's weeks were read.
    groups = active_groups_of(sa.bindparam("viewer_id")).subquery()
    scopes = sa.select(sa.func.array_append(sa.func.array_agg(groups.c.group_id), _PUBLIC))
    return scope == sa.any_(sa.cast(scopes.scalar_subquery(), sa.ARRAY(sa.Integer)))


def _week_start(week):
    """SQL: the first moment of week (a number, SQL), counted in bigints: an event may be
    set far on, past 2038, when seconds since 1970 outgrow an integer."""
    return sa.func.to_timestamp(sa.cast(week, sa.BigInteger) * WEEK_SECONDS)


def _week_anchor(statement, viewer):
    """SQL, one row: the first moment of the furthest week in which the list of upcoming
    events (statement) may be entered for a page at :page_offset (start), and how many of
    its events come before it (before); or the list's top (:since, 0).

    The events of the weeks to come are counted by week; those before the next week are
    counted in the list itself: the events under way now, found by the index of their
    spans (ix_events_under_way), and those starting from now until then. Walked from the
    list's top, a month ago, that count passed every event of the month already over to
    find the few still going on.
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


def _listed_statement(viewer, one_group, searching, when, with_spans_indexed):
    """The events listed, before their order and page: those the viewer may see, of one
    group or all, upcoming or past."""
    statement = _listed()
    if one_group:
        # The caller has checked that the viewer may see the group.
        statement = statement.where(Event.group_id == sa.bindparam("group_id"))
    else:
        statement = statement.where(_listed_to(viewer))
    return _when(
        statement,
        when,
        sa.bindparam("now"),
        sa.bindparam("since"),
        reads_rows=searching,
        spans_indexed=with_spans_indexed,
    )


@functools.cache
def events_listing(viewer, one_group, searching, when, with_spans_indexed):
    """The list of events for one shape of request, built once (see webapp.web.listing.Listing):
    what a viewer of this kind may see, of one group or all, matching a search or not,
    upcoming or past, on a database that indexes the events' spans or not. Its values
    come from visible_events."""
    statement = _listed_statement(viewer, one_group, searching, when, with_spans_indexed)
    return Listing(
        statement,
        sort=_ORDERS[when],
        rows=lambda keys: event_cards(keys, when),
        # Last: PostgreSQL tests a row's filters in the order written (they cost it alike),
        # and matching a text is the dearest by far. Written before the time span, it ran
        # on every past event the count passed too.
        match=event_matches(sa.bindparam("pattern")) if searching else None,
        # A common word fills a page in the first rows of the list, read with one plan
        # for every word; a rare word is planned for, and found by its trigram index.
        # Not one group's list, whose walk's plan depends on the group's size.
        walk_first=_share_matching if searching and not one_group else None,
        # A search counts on only to the page after this one, in the walk that finds the
        # page: every event it counts is an event's text read and matched. Counting ten
        # pages on (apart, in whatever order PostgreSQL found cheapest) was most of what
        # its statement cost, and of the whole search request's time. Its pager
        # links the next page and those before.
        lookahead_pages=1 if searching else LOOKAHEAD_PAGES,
        # One plan for every page: the walk of the listing index, whoever looks, when and
        # how far in (tests/events/test_indexes.py). Not for one group's list, which
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
    listing = events_listing(
        _viewer_kind(user), group is not None, bool(query), when, spans_indexed()
    )
    now = utcnow()
    values = {"now": now, "since": now - MAX_DURATION}
    if group is not None:
        values["group_id"] = group.id
    elif user.is_authenticated:
        values["viewer_id"] = user.id
    if query:
        values["pattern"] = like_anywhere(query)
    return listing, values
