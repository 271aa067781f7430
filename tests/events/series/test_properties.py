"""The rules of series as properties, for random rules, zones, first dates and times:
every date made is a date of the rule (python-dateutil's, asked apart) at the series'
time on the clocks of its zone, each once; the horizon filled again, at once or later,
makes no date twice and none beyond its horizon; an edit of "this and following" changes
the later dates to the new time on their own days, and never a date that is over, an
earlier one, or one changed alone or cancelled."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.rrule import MO, MONTHLY, WEEKLY, rrule
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import make_user
from tests.events.series.factories import series_details
from tests.groups.factories import make_group
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.series.horizon import HORIZON, fill_horizon
from webapp.events.series.models import EventSeries
from webapp.events.series.rules import ON_DAY, ON_WEEKDAY, RepeatRule, week_of_month
from webapp.events.series.services import publish_series, update_following
from webapp.events.services import cancel_event, update_event
from webapp.events.times import to_local
from webapp.extensions import db

# Zones whose clocks change (north and south, by an hour and by half of one), and one that
# never does.
ZONES = ["Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC"]
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)

rules = st.builds(
    RepeatRule,
    frequency=st.sampled_from(["WEEKLY", "MONTHLY"]),
    interval=st.integers(1, 3),
    weekdays=st.sets(st.integers(0, 6), max_size=3).map(lambda days: tuple(sorted(days))),
    monthly_on=st.sampled_from([ON_DAY, ON_WEEKDAY]),
    count=st.one_of(st.none(), st.integers(2, 20)),
)


def expected_days(rule, first_date, until):
    """The rule's days asked of dateutil apart, built from its parts rather than its text."""
    start = datetime.combine(first_date, time())
    if rule.frequency == "WEEKLY":
        days = sorted(set(rule.weekdays) | {first_date.weekday()})
        recurrence = rrule(
            WEEKLY, interval=rule.interval, byweekday=days, dtstart=start, count=rule.count
        )
    elif rule.monthly_on == ON_WEEKDAY:
        weekday = MO.__class__(first_date.weekday(), week_of_month(first_date))
        recurrence = rrule(
            MONTHLY, interval=rule.interval, byweekday=weekday, dtstart=start, count=rule.count
        )
    else:
        recurrence = rrule(
            MONTHLY,
            interval=rule.interval,
            bymonthday=first_date.day,
            dtstart=start,
            count=rule.count,
        )
    return [
        moment.date()
        for moment in recurrence.between(start, datetime.combine(until, time()), inc=True)
    ]


def with_its_first_day(rule, first_date):
    """rule, its weekdays including first_date's (as the form makes them)."""
    if rule.frequency == "WEEKLY" and rule.weekdays and first_date.weekday() not in rule.weekdays:
        return RepeatRule(
            rule.frequency, rule.interval, (*rule.weekdays, first_date.weekday()), count=rule.count
        )
    return rule


def a_series(owner, rule, first_date, zone, at):
    """A draft series of a new group of owner's: dates of 90 minutes from at."""
    series = EventSeries(
        group=make_group(owner),
        rule=rule.text(first_date),
        first_date=first_date,
        time_zone=zone,
        starts_time=at,
        duration_minutes=90,
        title="Walk",
        venue="The Lantern",
    )
    db.session.add(series)
    db.session.flush()
    return series


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=rules,
    zone=st.sampled_from(ZONES),
    first_in=st.integers(1, 60),
    at=st.sampled_from([time(0, 30), time(2, 30), time(19, 0), time(23, 45)]),
    # Within the horizon: a date that came and went while no worker ran stays missed.
    refill_after=st.integers(0, 60),
)
def test_every_date_made_is_the_rules_at_its_time_once(
    app_context, rule, zone, first_in, at, refill_after
):
    first_date = NOW.date() + timedelta(days=first_in)
    rule = with_its_first_day(rule, first_date)
    series = a_series(make_user(), rule, first_date, zone, at)
    fill_horizon(series, NOW)
    later = NOW + timedelta(days=refill_after)
    # Filled again at once (a second worker), then later (the days went by), then again.
    fill_horizon(series, NOW)
    fill_horizon(series, later)
    fill_horizon(series, later)
    made = db.session.execute(
        sa.select(Event.series_date, Event.starts_at, Event.ends_at)
        .where(Event.series_id == series.id)
        .order_by(Event.series_date)
    ).all()
    days = [day for day, _start, _end in made]
    assert len(days) == len(set(days))
    horizon_end = (later + HORIZON).astimezone(ZoneInfo(zone)).date()
    assert days == expected_days(rule, first_date, horizon_end)
    for day, starts_at, ends_at in made:
        local = starts_at.astimezone(ZoneInfo(zone))
        assert local.date() == day
        wall = datetime.combine(day, at)
        # On the series' time, or moved on by the jump of a night the clocks skip it.
        assert timedelta(0) <= local.replace(tzinfo=None) - wall <= timedelta(hours=1)
        assert ends_at - starts_at == timedelta(minutes=90)
    db.session.rollback()


def _snapshot(series_id):
    return {
        event.id: (event.starts_at, event.ends_at, event.venue, event.status)
        for event in db.session.scalars(
            sa.select(Event)
            .where(Event.series_id == series_id)
            .execution_options(populate_existing=True)
        )
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rule=rules,
    zone=st.sampled_from(ZONES),
    # The series was made this many days ago, its first date this many days after that:
    # some dates are over by now, some to come.
    made_ago=st.integers(0, 40),
    first_in=st.integers(1, 30),
    edited=st.integers(0, 30),
    changed_alone=st.sets(st.integers(0, 30), max_size=4),
    cancelled=st.sets(st.integers(0, 30), max_size=3),
    hour=st.sampled_from([0, 2, 8, 20, 23]),
)
def test_this_and_following_never_changes_a_past_date_nor_an_exception(
    app_context, rule, zone, made_ago, first_in, edited, changed_alone, cancelled, hour
):
    made_at = utcnow() - timedelta(days=made_ago)
    first_date = made_at.date() + timedelta(days=first_in)
    owner = make_user()
    series = a_series(owner, with_its_first_day(rule, first_date), first_date, zone, time(19))
    fill_horizon(series, made_at)
    fill_horizon(series, utcnow())
    publish_series(owner, series)
    coming = [e for e in _dates(series.id) if not e.has_ended()]
    assume(coming)
    # Exceptions among the coming dates: some changed alone (to 07:00), some cancelled.
    for index in changed_alone:
        event = coming[index % len(coming)]
        local = to_local(event.starts_at, zone).replace(hour=7, minute=0)
        update_event(owner, event, _details(zone, local, venue="The Annexe"))
    for index in cancelled:
        event = coming[index % len(coming)]
        if not event.is_cancelled:
            cancel_event(owner, event)
    choices = [e for e in coming if not e.is_cancelled]
    assume(choices)
    target = choices[edited % len(choices)]
    before = _snapshot(series.id)
    exceptions = {e.id for e in _dates(series.id) if e.series_detached or e.is_cancelled}
    local = to_local(target.starts_at, zone).replace(hour=hour, minute=0)
    update_following(owner, target, _details(zone, local, venue="The Boathouse"))
    after = _snapshot(series.id)
    for event in _dates(series.id):
        if event.id == target.id:
            assert event.venue == "The Boathouse"
            continue
        untouched = (
            event.id in exceptions
            or event.series_date < target.series_date
            or before[event.id][1] <= utcnow()
        )
        if untouched:
            assert after[event.id] == before[event.id]
        else:
            starts_at, ends_at, venue, _status = after[event.id]
            local_start = starts_at.astimezone(ZoneInfo(zone))
            wall = datetime.combine(event.series_date, time(hour))
            assert local_start.date() == event.series_date
            assert timedelta(0) <= local_start.replace(tzinfo=None) - wall <= timedelta(hours=1)
            assert (venue, ends_at - starts_at) == ("The Boathouse", timedelta(hours=2))
    db.session.rollback()


def _dates(series_id):
    return db.session.scalars(
        sa.select(Event).where(Event.series_id == series_id).order_by(Event.series_date)
    ).all()


def _details(zone, local_start, venue):
    return replace(
        series_details(zone=zone, capacity=None),
        title="Walk",
        venue=venue,
        starts_at=local_start,
        ends_at=local_start + timedelta(hours=2),
    )
