"""A series' dates are made ahead, for a bounded horizon: an endless rule makes no endless
rows. fill_horizon makes those still missing, under the series' row lock, so that two runs
at once (the sweep in two workers, a request beside it) make each date once; the events'
unique (series_id, series_date) backs it. The sweep runs in every worker's maintenance
pass and keeps each series' horizon filled as the days go by. Lists show the series by
its next date alone (folding.py).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.database.unit_of_work import lock_row
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event, answer_of
from webapp.events.series.folding import fold_dates
from webapp.events.series.models import EventSeries, StandingAnswer
from webapp.events.series.rules import dates_between, last_possible_date
from webapp.events.services import write_event
from webapp.events.signals import event_published
from webapp.events.times import zone_named
from webapp.extensions import db
from webapp.groups.access import can_take_part
from webapp.jobs import sweep_due

HORIZON = timedelta(days=90)


def horizon_day(series, now):
    """The last day (on the series' clocks) whose date is made by now."""
    return (now + HORIZON).astimezone(zone_named(series.time_zone)).date()


def date_moments(series, day):
    """(starts_at, ends_at) in UTC of the series' date on day: its time on the zone's
    clocks that day. A time the clocks skip that night moves on by the jump (as a clock
    would show it); one they pass twice is the first."""
    local = datetime.combine(day, series.starts_time).replace(tzinfo=zone_named(series.time_zone))
    starts_at = local.astimezone(UTC)
    return starts_at, starts_at + timedelta(minutes=series.duration_minutes)


def date_values(series, day):
    """The columns of the series' date on day, as its organisers set them for new dates."""
    starts_at, ends_at = date_moments(series, day)
    closes = series.rsvp_closes_minutes_before
    return {
        "title": series.title,
        "description": series.description,
        "venue": series.venue,
        "address": series.address,
        "online_url": series.online_url,
        "time_zone": series.time_zone,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": series.capacity,
        "rsvp_deadline": None if closes is None else starts_at - timedelta(minutes=closes),
        "guests_allowed": series.guests_allowed,
    }


def fill_horizon(series, now=None):
    """Make the series' dates up to its horizon (or its first date) that are not made yet
    and start after now (a date missed while no worker ran stays missed); returns the new
    events, in order.
    Published in a published series, with the standing answers applied."""
    now = now or utcnow()
    lock_row(series, read_again=True)
    if series.complete:
        return []
    first = series.first_date if series.made_until is None else series.made_until + timedelta(1)
    # The first date, always: the event its organisers just made, however far ahead.
    until = max(horizon_day(series, now), series.first_date)
    days = dates_between(series.rule, series.first_date, first, until)
    made = [_make_date(series, day, now) for day in days if date_moments(series, day)[0] > now]
    series.made_until = max(until, series.made_until or until)
    series.complete = not dates_between(
        series.rule, series.first_date, until + timedelta(1), last_possible_date(series.first_date)
    )[:1]
    db.session.flush()
    if made:
        fold_dates(series, now)
    if series.is_published:
        for event in made:
            event_published.send(event)
        apply_standing_answers(series, made)
    return made


def _make_date(series, day, now):
    event = Event(
        group_id=series.group_id,
        created_by_id=series.created_by_id,
        series=series,
        series_date=day,
        status=EventStatus.PUBLISHED if series.is_published else EventStatus.DRAFT,
        published_at=now if series.is_published else None,
    )
    write_event(event, date_values(series, day))
    db.session.add(event)
    return event


def apply_standing_answers(series, events):
    """Answer "going" to each of events for everyone whose standing answer reaches it, in
    the order of their tickets (the waitlist's order when a date is full)."""
    if not events:
        return
    standing = db.session.scalars(
        sa.select(StandingAnswer)
        .where(StandingAnswer.series_id == series.id)
        .order_by(StandingAnswer.ticket)
    ).all()
    for event in events:
        for answer in standing:
            if answer.from_date <= event.series_date:
                answer_for_standing(answer.user, event)


def answer_for_standing(user, event):
    """Going (or on the waitlist) to event for a standing answer: unless its answers are
    closed, the person is no longer a member, or they are going or waiting already.
    Returns the answer given, or None."""
    if event.answers_closed() or not can_take_part(user, event.group):
        return None
    current = answer_of(user, event)
    if current is not None and current.answer in (Answer.GOING, Answer.WAITLISTED):
        return None
    return answer_event(user, event, Answer.GOING.value, confirm=False).answer


def _series_to_fill(now):
    return (
        sa.select(EventSeries.id)
        .where(
            ~EventSeries.complete,
            # A day behind the horizon on UTC's clocks: behind it on the series' own too,
            # wherever they are, and visited about once a day, not on every sweep.
            sa.or_(
                EventSeries.made_until.is_(None),
                EventSeries.made_until < (now + HORIZON).date() - timedelta(1),
            ),
        )
        .order_by(EventSeries.made_until, EventSeries.id)
    )


def _fill_one(series_id, now):
    series = db.session.get(EventSeries, series_id)
    return len(fill_horizon(series, now)) if series is not None else 0


def sweep_series_horizons(now=None):
    """Make the dates that came within the horizon of every series; one transaction each."""
    return sweep_due("series horizon", _series_to_fill, _fill_one, now)
