"""Reads of series: the series for a viewer, its dates with the viewer's answers, and
what an event's page shows of the series it belongs to."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.database.times import utcnow
from webapp.events.models import LISTED_STATUSES, Event
from webapp.events.rsvp.models import Rsvp
from webapp.events.series.models import EventSeries, StandingAnswer
from webapp.events.series.rules import end_in_words, in_words
from webapp.events.services import suggest_slug
from webapp.extensions import db
from webapp.groups.access import can_manage, can_see, can_take_part
from webapp.groups.models import Group

PAST_SHOWN = 20


def can_see_series(user, series):
    if not can_see(user, series.group):
        return False
    return series.is_published or can_manage(user, series.group)


def find_series(series_id):
    """The series with its group, for the current user: 404 when it is not theirs to see."""
    series = db.session.scalar(
        sa.select(EventSeries)
        .join(Group, Group.id == EventSeries.group_id)
        .options(contains_eager(EventSeries.group))
        .where(EventSeries.id == series_id)
    )
    if series is None or not can_see_series(current_user, series):
        abort(404)
    return series


def series_slug(series):
    return suggest_slug(series.title)


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


def standing_answer_of(user, series):
    """user's standing answer to series, or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(StandingAnswer).where(
            StandingAnswer.series_id == series.id, StandingAnswer.user_id == user.id
        )
    )


def series_context(event):
    """What an event's page shows of its series (nothing for an event on its own)."""
    if event.series_id is None:
        return {}
    series = event.series
    return {
        "series": series,
        "series_words": in_words(series),
        "series_end_words": end_in_words(series),
        "series_standing": standing_answer_of(current_user, series),
        "series_can_answer": can_take_part(current_user, series.group)
        and not event.answers_closed(),
    }


def series_words(series):
    return in_words(series), end_in_words(series)
