"""A series through HTTP: started from the new-event form, published with its dates,
answered "this and every later date", and shown on its page and in its calendar file."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.events.series.support import (
    date_form,
    dates_of,
    logged_in,
    make_club,
    next_weekday,
    series_form,
    started,
)
from tests.support.auth import html
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.series.models import EventSeries
from webapp.extensions import db


@pytest.fixture
def club(app):
    return make_club(app)


def test_an_organiser_starts_a_weekly_series_and_publishes_it(app, club):
    first = next_weekday(1)
    organiser = logged_in(app, club["owner"])
    response = organiser.submit(f"/groups/{club['slug']}/events/new", series_form(first))
    assert response.status_code == 303, html(response)
    with app.app_context():
        series = db.session.scalar(sa.select(EventSeries))
        assert series.rule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"
        series_id = series.id
    dates = dates_of(app, series_id)
    # About thirteen weeks ahead, every one a Tuesday at 19:00 in Madrid, drafts.
    assert 12 <= len(dates) <= 14
    assert {event.status for event in dates} == {EventStatus.DRAFT}
    assert dates[0].series_date == first
    for event, day in zip(
        dates, (first + timedelta(weeks=n) for n in range(len(dates))), strict=True
    ):
        local = event.starts_at.astimezone(event.zone)
        assert (local.date(), local.hour, local.minute) == (day, 19, 0)
        assert event.ends_at - event.starts_at == timedelta(hours=2)
    assert response.location.startswith(f"/events/{dates[0].id}-")

    page = organiser.get(response.location)
    assert "Publish the series" in html(page)
    assert organiser.submit(f"/events/{dates[0].id}/manage/publish").status_code == 303
    assert {event.status for event in dates_of(app, series_id)} == {EventStatus.PUBLISHED}

    series_page = organiser.get(f"/series/{series_id}", follow_redirects=True)
    assert series_page.status_code == 200
    assert "Repeats every Tuesday at 19:00, Europe/Madrid." in html(series_page)


def test_going_to_this_and_every_later_date_waitlists_the_full_ones_in_order(app, club):
    first = next_weekday(3)
    organiser, series_id = started(app, club, first, capacity="1")
    dates = dates_of(app, series_id)
    organiser.submit(f"/events/{dates[0].id}/manage/publish")
    second, third = (logged_in(app, email) for email in club["members"][:2])
    # The second member takes the first date alone; then both answer from the first date on.
    second.submit(f"/events/{dates[0].id}/rsvp", {"answer": "going", "guests": "0"})
    response = third.submit(f"/events/{dates[1].id}/series/going")
    assert response.status_code == 303
    response = second.submit(f"/events/{dates[0].id}/series/going")
    assert response.status_code == 303
    with app.app_context():
        rows = db.session.execute(
            sa.select(Event.series_date, Rsvp.user_id, Rsvp.answer, Rsvp.waitlist_ticket)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(Event.series_id == series_id)
            .order_by(Event.series_date, Rsvp.user_id)
        ).all()
    by_date = {}
    for day, _user, answer, _ticket in rows:
        by_date.setdefault(day, []).append(answer)
    assert by_date[dates[0].series_date] == [Answer.GOING]
    # Later dates: the third member came first, so goes; the second waits.
    for event in dates[1:]:
        assert sorted(by_date[event.series_date]) == sorted([Answer.GOING, Answer.WAITLISTED])


def test_the_series_calendar_has_each_date_at_its_local_time(app, club):
    first = next_weekday(1)
    organiser, series_id = started(app, club, first)
    response = organiser.get(f"/series/{series_id}/calendar.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    starts = [component.decoded("DTSTART") for component in calendar.walk("VEVENT")]
    assert len(starts) == len(dates_of(app, series_id))
    assert all((start.hour, start.minute, start.weekday()) == (19, 0, 1) for start in starts)


def test_a_date_moved_or_cancelled_alone_is_so_in_the_series_calendar(app, club):
    first = next_weekday(1)
    organiser, series_id = started(app, club, first)
    dates = dates_of(app, series_id)
    organiser.submit(f"/events/{dates[0].id}/manage/publish")
    moved, cancelled = dates[1], dates[2]
    moved_day = moved.series_date + timedelta(days=1)
    assert (
        organiser.submit(f"/events/{moved.id}/manage/edit", date_form(moved_day)).status_code == 303
    )
    assert organiser.submit(f"/events/{cancelled.id}/manage/cancel").status_code == 303

    page = organiser.get(f"/series/{series_id}", follow_redirects=True)
    assert "Changed for this date" in html(page)
    calendar = Calendar.from_ical(organiser.get(f"/series/{series_id}/calendar.ics").data)
    entries = {
        str(component["UID"]): (component.decoded("DTSTART"), str(component["STATUS"]))
        for component in calendar.walk("VEVENT")
    }
    host_uid = next(iter(entries)).split("@")[1]
    start, status = entries[f"event-{moved.id}@{host_uid}"]
    assert (start.date(), start.hour, status) == (moved_day, 19, "CONFIRMED")
    assert entries[f"event-{cancelled.id}@{host_uid}"][1] == "CANCELLED"
    with app.app_context():
        assert db.session.get(Event, moved.id).series_detached
        assert not db.session.get(Event, dates[3].id).series_detached
