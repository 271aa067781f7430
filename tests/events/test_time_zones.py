"""Times on the clocks where an event happens, and on the viewer's: stored in UTC, typed
and shown in the event's zone, across daylight-saving changes (PostgreSQL keeps zones;
SQLite drops them, so the stored values are checked on PostgreSQL)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data, event_path, stored_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import field_error, html
from webapp.events.models import Event, EventStatus
from webapp.events.times import moment_text, same_clocks, span_text
from webapp.extensions import db

NEW_YORK, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")


@pytest.fixture
def club(app):
    """Nadia organises Walkers from New York; Bernd, a member, lives in Berlin."""
    with app.app_context():
        nadia = make_user(email="nadia@example.org", time_zone="America/New_York")
        bernd = make_user(email="bernd@example.org", time_zone="Europe/Berlin")
        paula = make_user(email="paula@example.org", time_zone="Europe/Paris")
        group = make_group(nadia, name="Walkers", slug="walkers")
        add_member(group, bernd)
        add_member(group, paula)
        return group


def publish(app, client, auth, data):
    """Nadia creates an event through the form; it is published straight in the database
    (these dates will pass, and publishing refuses an event that has ended)."""
    auth.login("nadia@example.org")
    response = client.submit("/groups/walkers/events/new", data)
    assert response.status_code == 303, field_error(response, "starts_at")
    event_id = int(response.location.split("/")[2].split("-")[0])
    with app.app_context():
        db.session.get(Event, event_id).status = EventStatus.PUBLISHED
        db.session.commit()
    auth.logout()
    return event_id


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("starts", "ends", "utc_start", "utc_end", "in_new_york", "in_berlin"),
    [
        # Winter on both sides: six hours apart.
        (
            "2027-01-15T18:00",
            "2027-01-15T20:00",
            datetime(2027, 1, 15, 23, 0, tzinfo=UTC),
            datetime(2027, 1, 16, 1, 0, tzinfo=UTC),
            "Fri 15 Jan 2027, 18:00\N{EN DASH}20:00 EST",
            "Sat 16 Jan 2027, 00:00\N{EN DASH}02:00 CET",
        ),
        # New York has sprung forward (14 March), Berlin not yet (28 March): five hours.
        (
            "2027-03-20T18:00",
            "2027-03-20T20:00",
            datetime(2027, 3, 20, 22, 0, tzinfo=UTC),
            datetime(2027, 3, 21, 0, 0, tzinfo=UTC),
            "Sat 20 Mar 2027, 18:00\N{EN DASH}20:00 EDT",
            "Sat 20 Mar 2027, 23:00 CET \N{EN DASH} Sun 21 Mar 2027, 01:00 CET",
        ),
        # Both in summer time: six hours again.
        (
            "2027-04-10T18:00",
            "2027-04-10T20:00",
            datetime(2027, 4, 10, 22, 0, tzinfo=UTC),
            datetime(2027, 4, 11, 0, 0, tzinfo=UTC),
            "Sat 10 Apr 2027, 18:00\N{EN DASH}20:00 EDT",
            "Sun 11 Apr 2027, 00:00\N{EN DASH}02:00 CEST",
        ),
        # The night New York falls back (2:00 EDT becomes 1:00 EST): five hours long.
        (
            "2027-11-06T22:00",
            "2027-11-07T02:00",
            datetime(2027, 11, 7, 2, 0, tzinfo=UTC),
            datetime(2027, 11, 7, 7, 0, tzinfo=UTC),
            "Sat 6 Nov 2027, 22:00 EDT \N{EN DASH} Sun 7 Nov 2027, 02:00 EST",
            "Sun 7 Nov 2027, 03:00\N{EN DASH}08:00 CET",
        ),
    ],
)
def test_a_new_york_event_seen_from_berlin(
    app, client, auth, club, starts, ends, utc_start, utc_end, in_new_york, in_berlin
):
    data = event_data(starts_at=starts, ends_at=ends, time_zone="America/New_York")
    event_id = publish(app, client, auth, data)

    event = stored_event(app, event_id)
    assert (event.starts_at, event.ends_at) == (utc_start, utc_end)
    assert event.starts_at.utcoffset().total_seconds() == 0

    auth.login("bernd@example.org")
    page = html(client.get(event_path(event)))
    assert f">{in_new_york}</time>" in page
    assert f"Your time: {in_berlin}" in page
    # The list shows it on the reader's clocks, with the event's own beside them
    # (tests/test_times_in_lists.py holds every list to this).
    lists = html(client.get("/events")) + html(client.get("/events?when=past"))
    assert f">{moment_text(utc_start, BERLIN)}</time>" in lists
    assert "in America/New York, the event&#39;s time zone" in lists


@pytest.mark.postgres
def test_the_new_yorker_sees_no_second_time_and_neither_does_a_visitor(app, client, auth, club):
    event_id = publish(app, client, auth, event_data(time_zone="America/New_York"))
    path = event_path(stored_event(app, event_id))

    assert "Your time" not in html(client.get(path))
    auth.login("nadia@example.org")
    assert "Your time" not in html(client.get(path))


@pytest.mark.postgres
def test_a_neighbouring_zone_on_the_same_clocks_needs_no_second_time(app, client, auth, club):
    event_id = publish(app, client, auth, event_data(time_zone="Europe/Berlin"))

    auth.login("paula@example.org")  # Paris reads what Berlin reads
    assert "Your time" not in html(client.get(event_path(stored_event(app, event_id))))


@pytest.mark.postgres
@pytest.mark.parametrize("field", ["starts_at", "rsvp_deadline"])
def test_a_time_new_york_skips_is_refused(app, client, auth, club, field):
    """14 March 2027: New York's clocks jump from 02:00 to 03:00."""
    auth.login("nadia@example.org")
    times = {"starts_at": "2027-03-14T05:00", "ends_at": "2027-03-14T07:00"}
    times[field] = "2027-03-14T02:30"
    data = event_data(time_zone="America/New_York", **times)

    response = client.submit("/groups/walkers/events/new", data)

    assert response.status_code == 422
    assert "does not exist in America/New York" in field_error(response, field)


@pytest.mark.postgres
def test_moving_an_event_to_another_zone_keeps_its_wall_clock_times(app, client, auth, club):
    with app.app_context():
        event = make_event(
            club,
            time_zone="America/New_York",
            starts_at=datetime(2027, 6, 1, 22, 0, tzinfo=UTC),  # 18:00 EDT
            ends_at=datetime(2027, 6, 2, 0, 0, tzinfo=UTC),
        )
    auth.login("nadia@example.org")
    data = event_data(
        starts_at="2027-06-01T18:00", ends_at="2027-06-01T20:00", time_zone="Europe/Berlin"
    )

    assert client.submit(f"/events/{event.id}/manage/edit", data).status_code == 303

    moved = stored_event(app, event.id)
    assert moved.starts_at == datetime(2027, 6, 1, 16, 0, tzinfo=UTC)  # 18:00 CEST


def test_span_text_names_both_abbreviations_when_the_clocks_change():
    start = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # 01:30 CET
    end = datetime(2027, 3, 28, 2, 0, tzinfo=UTC)  # 04:00 CEST

    assert span_text(start, end, BERLIN) == "Sun 28 Mar 2027, 01:30 CET\N{EN DASH}04:00 CEST"


def test_same_clocks_compares_offsets_at_both_ends():
    start = datetime(2027, 3, 20, 22, 0, tzinfo=UTC)
    end = datetime(2027, 3, 21, 0, 0, tzinfo=UTC)

    assert same_clocks(start, end, BERLIN, ZoneInfo("Europe/Paris"))
    assert not same_clocks(start, end, BERLIN, NEW_YORK)
