"""Rules of series: start one, publish it, and people's standing answers ("going to this
and every later date").

A change to a series locks its row first: its standing answers are decided one after
the other, so their tickets, and each date's waitlist, keep the order in which they
arrived. Each date is then answered through the RSVP rules (under its own event's lock,
taken in the order of the dates), and changed or published through the events' rules, so
capacity, waitlists, mail and reminders hold for a date as for any event.
"""

from datetime import timedelta

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event, answer_of
from webapp.events.series.horizon import answer_for_standing, date_values, fill_horizon
from webapp.events.series.models import EventSeries, StandingAnswer
from webapp.events.series.rules import check, ended_on, parse
from webapp.events.services import (
    cancel_event,
    change_event,
    delete_event,
    publish_event,
    stored_values,
)
from webapp.events.signals import series_ended
from webapp.events.times import to_local
from webapp.extensions import db
from webapp.groups.access import can_take_part
from webapp.groups.signals import member_left
from webapp.web.translating import gettext as _


def create_series(actor, group, details, rule):
    """A new series of drafts from details (its first date) repeating by rule; returns
    its first date's event. The dates up to the horizon are made at once."""
    values = stored_values(details)
    if values["starts_at"] <= utcnow():
        raise RuleError(_("A series starts in the future: choose a later first date."), "starts_at")
    first_date = details.starts_at.date()
    check(rule, first_date)
    series = EventSeries(
        group=group,
        created_by_id=actor.id,
        rule=rule.text(first_date),
        first_date=first_date,
        **_what_dates_start_as(details, values),
    )
    db.session.add(series)
    db.session.flush()
    return fill_horizon(series)[0]


# What a series keeps for the dates it will make, as an event holds them.
_DETAILS = (
    "title",
    "description",
    "venue",
    "address",
    "online_url",
    "capacity",
    "time_zone",
    "guests_allowed",
)


def _what_dates_start_as(details, values):
    """The series' columns for the dates it makes, from a date's details as typed and as
    stored (stored_values): its time of day on its zone's clocks, how long it lasts, when
    answers close before it, and the rest as written."""
    starts_at, deadline = values["starts_at"], values["rsvp_deadline"]
    return {
        "starts_time": details.starts_at.time(),
        "duration_minutes": _minutes(values["ends_at"] - starts_at),
        "rsvp_closes_minutes_before": None if deadline is None else _minutes(starts_at - deadline),
        **{name: values[name] for name in _DETAILS},
    }


def _minutes(span):
    return int(span / timedelta(minutes=1))


def dates_of(series, *conditions):
    """The series' live dates matching conditions, in order."""
    return db.session.scalars(
        sa.select(Event)
        .where(Event.series_id == series.id, Event.deleted_at.is_(None), *conditions)
        .order_by(Event.series_date)
    ).all()


def publish_series(actor, series):
    """Publish the series: each of its drafts still ahead, and every date made from now on."""
    lock_row(series, read_again=True)
    if series.is_published:
        raise RuleError(_("This series is already published."))
    series.published_at = utcnow()
    series.updated_at = series.published_at
    drafts = dates_of(series, Event.status == EventStatus.DRAFT, Event.ends_at > utcnow())
    for event in drafts:
        publish_event(actor, event)
    return drafts


def _coming_dates(series, from_date):
    return dates_of(
        series,
        Event.series_date >= from_date,
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at > utcnow(),
    )


def answer_following(actor, event):
    """actor goes to event and to every later date of its series, those not made yet too;
    a full date puts them on its waitlist. Returns {Answer: how many dates}."""
    series = event.series
    lock_row(series, read_again=True)
    if event.answers_closed():
        raise RuleError(_("Answers to this event are closed."))
    if not can_take_part(actor, event.group):
        raise RuleError(_("Only members of %(group)s can answer.", group=event.group.name))
    standing = _standing_answer_of(actor, series)
    if standing is None:
        # Tickets under the series' lock: their order is the order of arrival.
        series.answer_tickets += 1
        standing = StandingAnswer(series=series, user=actor, ticket=series.answer_tickets)
        db.session.add(standing)
    standing.from_date = event.series_date
    db.session.flush()
    counts = {Answer.GOING: 0, Answer.WAITLISTED: 0}
    for date in _coming_dates(series, event.series_date):
        answer_for_standing(actor, date)
        rsvp = answer_of(actor, date)
        if rsvp is not None and rsvp.answer in counts:
            counts[rsvp.answer] += 1
    return counts


def stop_following(actor, event):
    """actor no longer goes to event and the later dates of its series (their standing
    answer goes too). Returns how many dates they left."""
    series = event.series
    lock_row(series, read_again=True)
    standing = _standing_answer_of(actor, series)
    if standing is not None:
        db.session.delete(standing)
    left = 0
    for date in _coming_dates(series, event.series_date):
        rsvp = answer_of(actor, date)
        if rsvp is None or rsvp.answer == Answer.NOT_GOING or date.answers_closed():
            continue
        answer_event(actor, date, Answer.NOT_GOING.value, confirm=False)
        left += 1
    db.session.flush()
    return left


def _standing_answer_of(user, series):
    return db.session.scalar(
        sa.select(StandingAnswer)
        .where(StandingAnswer.series_id == series.id, StandingAnswer.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def update_following(actor, event, details):
    """Change event and every later date of its series that was not changed alone (nor
    cancelled, nor over), and the dates made from now on: their time of day, length,
    place, places and words. Earlier dates stay as they are. Returns how many dates
    changed. People going to a date whose time or place changed are told, as for any
    event (the events' change notices)."""
    series = event.series
    values = stored_values(details)
    lock_row(series, read_again=True)
    if details.starts_at.date() != to_local(event.starts_at, event.time_zone).date():
        raise RuleError(_("To move this date to another day, change this date alone."), "starts_at")
    for name, value in _what_dates_start_as(details, values).items():
        setattr(series, name, value)
    series.updated_at = utcnow()
    later = dates_of(
        series,
        Event.series_date > event.series_date,
        ~Event.series_detached,
        Event.status != EventStatus.CANCELLED,
        Event.ends_at > utcnow(),
    )
    # This date as typed (on its own day, should it have been moved there alone), the
    # later ones as the series now makes them.
    changed = bool(change_event(actor, event, values))
    for date in later:
        changed += bool(change_event(actor, date, date_values(series, date.series_date)))
    return changed


def end_series_from(actor, event):
    """No date of event's series from event's on: the rule ends the day before; those
    dates made already are cancelled (people going are told) or, drafts, deleted. Returns
    how many dates went."""
    series = event.series
    lock_row(series, read_again=True)
    if event.series_date <= series.first_date:
        raise RuleError(
            _("This is the series' first date: cancel or delete its dates one by one instead.")
        )
    series.rule = ended_on(parse(series.rule), event.series_date - timedelta(1)).text(
        series.first_date
    )
    series.complete = True
    series.updated_at = utcnow()
    gone, cancelled = 0, []
    for date in dates_of(series, Event.series_date >= event.series_date):
        if date.is_draft:
            delete_event(actor, date)
        elif not date.is_cancelled and not date.has_ended():
            cancel_event(actor, date, with_series=True)
            cancelled.append(date)
        else:
            continue
        gone += 1
    if cancelled:
        series_ended.send(event, dates=cancelled)
    return gone


@member_left.connect
def drop_standing_answers(group, user, **extra):
    """Someone no longer in group goes to no more dates of its series (their answers to
    the dates made already go with their other answers: webapp.events.rsvp.services)."""
    db.session.execute(
        sa.delete(StandingAnswer).where(
            StandingAnswer.user_id == user.id,
            StandingAnswer.series_id.in_(
                sa.select(EventSeries.id).where(EventSeries.group_id == group.id)
            ),
        )
    )
