"""Reads of series: the series for a viewer, its dates with the viewer's answers, and
what an event's page shows of the series it belongs to."""

import functools
from datetime import date, datetime, time
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.setup import prepared
from webapp.database.times import utcnow
from webapp.events.models import LISTED_STATUSES, Event, EventState, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.series.models import EventSeries, StandingAnswer
from webapp.events.series.rules import end_in_words, in_words
from webapp.events.services import suggest_slug
from webapp.events.times import zone_named
from webapp.extensions import db
from webapp.groups.access import ReadWithMembership, can_manage, can_see, can_take_part
from webapp.groups.models import Group
from webapp.groups.queries import without_group_texts
from webapp.web.translating import current_locale

PAST_SHOWN = 20


def can_see_series(user, series):
    if not can_see(user, series.group):
        return False
    return series.is_published or can_manage(user, series.group)


class _StandingPrefetch:
    """For ReadWithMembership: the viewer's standing answer to the series, read by the
    series' own query and remembered (standing_answer_of then asks nothing)."""

    @staticmethod
    def add(statement):
        mine = sa.and_(
            StandingAnswer.series_id == EventSeries.id,
            StandingAnswer.user_id == sa.bindparam("viewer_id"),
        )
        return statement.add_columns(StandingAnswer).outerjoin(StandingAnswer, mine)

    @staticmethod
    def remember(user, series, standing):
        prefetched("standing answers")[(user.id, series.id)] = standing


forget_when_written("standing answers", StandingAnswer)

# The series with its group (not the group's texts, which no page of a series shows), and
# the viewer's membership and standing answer: one statement, built once.
_SERIES = ReadWithMembership(
    sa.select(EventSeries)
    .join(Group, Group.id == EventSeries.group_id)
    .options(without_group_texts(contains_eager(EventSeries.group)))
    .where(EventSeries.id == sa.bindparam("series_id")),
    EventSeries.group_id,
    lambda series: series.group,
    also=_StandingPrefetch,
)


def find_series(series_id):
    """The series with its group, for the current user: 404 when it is not theirs to see."""
    series = _SERIES(series_id=series_id)
    if series is None or not can_see_series(current_user, series):
        abort(404)
    return series


@functools.lru_cache(maxsize=1024)
def _slug_of(title):
    return suggest_slug(title)


def series_slug(series):
    return _slug_of(series.title)


def _dates(series, user, *conditions, order, limit=None):
    """(event, the user's answer or None) of the series' live dates, as the user may see
    them (drafts are its organisers')."""
    statuses = None if can_manage(user, series.group) else LISTED_STATUSES
    answer = (
        sa.select(Rsvp.answer)
        .where(Rsvp.event_id == Event.id, Rsvp.user_id == user.id)
        .scalar_subquery()
        if user.is_authenticated
        else sa.null()
    )
    statement = (
        sa.select(Event, answer)
        .where(Event.series_id == series.id, Event.deleted_at.is_(None), *conditions)
        .order_by(*order)
        .limit(limit)
    )
    if statuses is not None:
        statement = statement.where(Event.status.in_(statuses))
    return db.session.execute(statement).all()


def coming_dates(series, user, now=None):
    """The dates not yet ended, soonest first, with the user's answers."""
    now = now or utcnow()
    return _dates(series, user, Event.ends_at > now, order=(Event.starts_at, Event.id))


def past_dates(series, user, now=None):
    """The last PAST_SHOWN dates that have ended, latest first, with the user's answers."""
    now = now or utcnow()
    return _dates(
        series, user, Event.ends_at <= now, order=(Event.starts_at.desc(),), limit=PAST_SHOWN
    )


class _SeriesDateColumns(NamedTuple):
    id: int
    slug: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    status: EventStatus
    capacity: int | None
    places_taken: int
    series_detached: bool
    ended: bool
    answer: Answer | None


class SeriesDate(_SeriesDateColumns, EventState):
    """What a series' page shows of one of its dates, read as plain columns (not as an
    Event), with the viewer's answer (ended: at the moment they were read). The page
    renders each once for what it shows (webapp.events.series.views.dates_html)."""

    __slots__ = ()

    @property
    def zone(self):
        return zone_named(self.time_zone)


@functools.cache
def _page_dates(with_drafts, with_answers):
    """page_dates' statement for one kind of viewer, built once: the dates not yet ended,
    soonest first, then the last PAST_SHOWN ended, latest first (ended tells them apart).
    Values: series_id, now, and viewer_id with_answers."""
    now = sa.bindparam("now", type_=Event.ends_at.type)
    ended = (Event.ends_at <= now).label("ended")
    answer = Rsvp.answer if with_answers else sa.null()
    dates = sa.select(
        Event.id,
        Event.slug,
        Event.starts_at,
        Event.ends_at,
        Event.time_zone,
        Event.status,
        Event.capacity,
        Event.places_taken,
        Event.series_detached,
        ended,
        answer.label("answer"),
    ).where(Event.series_id == sa.bindparam("series_id"), Event.deleted_at.is_(None))
    if with_answers:
        mine = sa.and_(Rsvp.event_id == Event.id, Rsvp.user_id == sa.bindparam("viewer_id"))
        dates = dates.outerjoin(Rsvp, mine)
    if not with_drafts:
        dates = dates.where(Event.status.in_(LISTED_STATUSES))
    coming = dates.where(Event.ends_at > now)
    past = (
        dates.where(Event.ends_at <= now)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(PAST_SHOWN)
    )
    both = sa.union_all(coming, past.subquery().select()).subquery()
    columns = both.c
    return prepared(
        sa.select(both).order_by(
            columns.ended,
            sa.case((~columns.ended, columns.starts_at)),
            sa.case((columns.ended, columns.starts_at)).desc(),
            columns.id,
        )
    )


def page_dates(series, user, now=None):
    """(coming, past): SeriesDates of the series' live dates as the user may see them
    (drafts are its organisers'), with the user's answers, as coming_dates and past_dates
    order them; one statement."""
    values = {"series_id": series.id, "now": now or utcnow()}
    if user.is_authenticated:
        values["viewer_id"] = user.id
    statement = _page_dates(can_manage(user, series.group), user.is_authenticated)
    coming, past = [], []
    for row in db.session.execute(statement, values):
        found = SeriesDate._make(row)
        (past if found.ended else coming).append(found)
    return coming, past


def standing_answer_of(user, series):
    """user's standing answer to series, or None (read along with the series by
    find_series, or asked here)."""
    if not user.is_authenticated:
        return None
    known = prefetched("standing answers")
    key = (user.id, series.id)
    if key not in known:
        known[key] = db.session.scalar(
            sa.select(StandingAnswer).where(
                StandingAnswer.series_id == series.id, StandingAnswer.user_id == user.id
            )
        )
    return known[key]


def series_context(event):
    """What an event's page shows of its series (nothing for an event on its own)."""
    if event.series_id is None:
        return {}
    series = event.series
    return {
        "series": series,
        # A draft series' page is the group's organisers': a draft date's co-host sees
        # the date, not the series.
        "series_visible": can_see_series(current_user, series),
        "series_words": in_words(series),
        "series_end_words": end_in_words(series),
        "series_standing": standing_answer_of(current_user, series),
        "series_can_answer": can_take_part(current_user, series.group)
        and not event.answers_closed(),
    }


class _Rule(NamedTuple):
    """What in_words and end_in_words read of a series."""

    rule: str
    first_date: date
    starts_time: time
    time_zone: str


@functools.lru_cache(maxsize=1024)
def _words(rule, language):
    """The words of rule (a _Rule) in language (a key only: the page's, which the rules'
    text functions read themselves)."""
    return in_words(rule), end_in_words(rule)


def series_words(series):
    """(the rule in words, its end in words or ''): worked out once per rule and language
    in each process, not on every view of the series' page."""
    rule = _Rule(series.rule, series.first_date, series.starts_time, series.time_zone)
    return _words(rule, str(current_locale()))
