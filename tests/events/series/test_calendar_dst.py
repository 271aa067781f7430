"""The series' own .ics across both changes of the clocks, read by a real parser
(icalendar): every date at 19:00 on Madrid's clocks, so at 18:00 UTC in winter and 17:00
UTC in summer; the entry's own zone (VTIMEZONE) gives the same instants as the zone
database. The series starts twelve days before each change; the dates its horizon sweep
would have made by then are made with the sweep's own clock."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.events.series.support import logged_in, make_club, series_form
from tests.support.auth import html
from webapp.database.times import utcnow
from webapp.events.series.horizon import fill_horizon
from webapp.events.series.models import EventSeries
from webapp.extensions import db

MADRID = ZoneInfo("Europe/Madrid")


def last_sunday(year, month):
    end = date(year, month + 1, 1) - timedelta(days=1)
    return end - timedelta(days=(end.weekday() + 1) % 7)


def next_change(month):
    """The next last Sunday of month (3: clocks forward, 10: back) at least twelve days on."""
    year = utcnow().year
    while last_sunday(year, month) - timedelta(days=12) <= utcnow().date():
        year += 1
    return last_sunday(year, month)


@pytest.fixture
def club(app):
    return make_club(app, members=0)


@pytest.mark.parametrize(("month", "before", "after"), [(3, 18, 17), (10, 17, 18)])
def test_every_date_of_the_series_calendar_is_19_00_in_madrid_across_the_change(
    app, club, month, before, after
):
    change = next_change(month)
    first = change - timedelta(days=12)  # a Tuesday, two dates before the change
    organiser = logged_in(app, club["owner"])
    response = organiser.submit(f"/groups/{club['slug']}/events/new", series_form(first))
    assert response.status_code == 303, html(response)
    with app.app_context():
        series = db.session.scalar(sa.select(EventSeries))
        fill_horizon(series, datetime.combine(first, datetime.min.time(), UTC))
        db.session.commit()
        series_id = series.id

    body = organiser.get(f"/series/{series_id}/calendar.ics").get_data()
    calendar = Calendar.from_ical(body)
    starts = sorted(entry.decoded("DTSTART") for entry in calendar.walk("VEVENT"))
    assert len(starts) >= 10
    for start in starts:
        utc = start.astimezone(UTC)
        assert start.astimezone(MADRID).hour == 19
        assert utc.hour == (before if start.date() < change else after), start
    assert {start.date() < change for start in starts} == {True, False}
    # The file's own VTIMEZONE names Madrid's rules: a parser without the zone database
    # reads the same moments.
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Madrid"
    renamed = Calendar.from_ical(body.replace(b"Europe/Madrid", b"Hearth/Test-Zone"))
    again = sorted(entry.decoded("DTSTART") for entry in renamed.walk("VEVENT"))
    assert [start.astimezone(UTC) for start in again] == [start.astimezone(UTC) for start in starts]
