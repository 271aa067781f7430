"""The rules of series as properties, for random rules, zones, first dates and times:
every date made is a date of the rule (python-dateutil's, asked apart) at the series'
time on the clocks of its zone, each once; the horizon filled again, at once or later,
makes no date twice and none beyond its horizon."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.rrule import MO, MONTHLY, WEEKLY, rrule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from webapp.events.models import Event
from webapp.events.series.horizon import HORIZON, fill_horizon
from webapp.events.series.models import EventSeries
from webapp.events.series.rules import ON_DAY, ON_WEEKDAY, RepeatRule, week_of_month
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
    if rule.frequency == "WEEKLY" and rule.weekdays and first_date.weekday() not in rule.weekdays:
        rule = RepeatRule(
            rule.frequency, rule.interval, (*rule.weekdays, first_date.weekday()), count=rule.count
        )
    owner = make_user()
    series = EventSeries(
        group=make_group(owner),
        rule=rule.text(first_date),
        first_date=first_date,
        time_zone=zone,
        starts_time=at,
        duration_minutes=90,
        title="Walk",
    )
    db.session.add(series)
    db.session.flush()
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
