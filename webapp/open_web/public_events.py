"""The events the open web shows (the feeds, the embedded lists): those of public groups
that are live and not suspended, published or cancelled and not deleted, of one group or
all, matching a search word."""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.events.listing import event_matches
from webapp.events.models import LISTED_STATUSES, Event, EventListing
from webapp.events.series.models import EventSeries
from webapp.extensions import db
from webapp.groups.models import Group, Visibility
from webapp.groups.queries import like_anywhere
from webapp.open_web.models import FeedVersion

# A calendar holds the events to come and those of the last weeks, as far as these go.
CALENDAR_COMING = 400
CALENDAR_PAST = 100
CALENDAR_PAST_SPAN = timedelta(days=30)
# An Atom feed holds the events published last.
ATOM_ENTRIES = 50
# An embedded list shows the next few.
EMBEDDED = 10


def _public_events(group_id, query):
    statement = (
        sa.select(Event)
        .join(Group, Group.id == Event.group_id)
        .options(contains_eager(Event.group))
        .where(
            Event.deleted_at.is_(None),
            Event.status.in_(LISTED_STATUSES),
            Group.visibility == Visibility.PUBLIC,
            Group.listed(),
        )
    )
    if group_id is not None:
        statement = statement.where(Event.group_id == group_id)
    if query:
        statement = statement.where(event_matches(like_anywhere(query)))
    return statement


def calendar_events(group_id, query, now):
    """Every date (a series' too) still to end, soonest first, after the latest ended
    within CALENDAR_PAST_SPAN: the events a subscribed calendar shows."""
    public = _public_events(group_id, query)
    coming = db.session.scalars(
        public.where(Event.ends_at >= now)
        .order_by(Event.starts_at, Event.id)
        .limit(CALENDAR_COMING)
    ).all()
    past = db.session.scalars(
        public.where(Event.ends_at < now, Event.ends_at >= now - CALENDAR_PAST_SPAN)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(CALENDAR_PAST)
    ).all()
    return [*reversed(past), *coming]


def published_events(group_id, query):
    """The events published last, newest first; a series by its next date alone, as the
    lists show it (its later dates are folded, webapp.events.series.folding)."""
    published = sa.func.coalesce(Event.published_at, Event.created_at)
    return db.session.scalars(
        _public_events(group_id, query)
        .where(Event.listing != EventListing.HIDDEN)
        .order_by(published.desc(), Event.id.desc())
        .limit(ATOM_ENTRIES)
    ).all()


def coming_events(group_id, now, limit=EMBEDDED):
    """The next events still to end, soonest first; a series by its next date alone."""
    return db.session.scalars(
        _public_events(group_id, None)
        .where(Event.ends_at >= now, Event.listing != EventListing.HIDDEN)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    ).all()


def public_event_and_version(event_id):
    """(the event, its group's version) when the open web shows the event, or (None, 0):
    one statement."""
    row = db.session.execute(
        _public_events(None, None)
        .add_columns(FeedVersion.version)
        .outerjoin(FeedVersion, FeedVersion.scope == Group.id)
        .where(Event.id == event_id)
    ).first()
    return (row[0], row[1] or 0) if row else (None, 0)


def public_series_and_version(series_id):
    """(the series, its group's version) when it is published in a group the open web
    shows, or (None, 0): one statement."""
    row = db.session.execute(
        sa.select(EventSeries, FeedVersion.version)
        .join(Group, Group.id == EventSeries.group_id)
        .options(contains_eager(EventSeries.group))
        .outerjoin(FeedVersion, FeedVersion.scope == Group.id)
        .where(
            EventSeries.id == series_id,
            EventSeries.published_at.is_not(None),
            Group.visibility == Visibility.PUBLIC,
            Group.listed(),
        )
    ).first()
    return (row[0], row[1] or 0) if row else (None, 0)
