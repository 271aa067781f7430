"""An event's .ics: what it says, in which time zone, and that calendar apps read it back.

Time zones are checked on PostgreSQL too (marked), where times come back from a
timestamptz column rather than SQLite's naive text.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.mail.support import cancel, change, make_party
from tests.groups.factories import make_group
from tests.polls.support import logged_in

NEW_YORK, BERLIN = ZoneInfo("America/New_York"), ZoneInfo("Europe/Berlin")
# 19:00 in New York on the Friday before the US clocks go forward (8 March 2030), while
# Berlin is still on winter time until 31 March: six hours apart, then five, then six.
FRIDAY_EVENING = datetime(2030, 3, 8, 19, 0, tzinfo=NEW_YORK)


@pytest.fixture
def party(app):
    return make_party(
        app,
        venue="Old Oak",
        address="1 Park Lane",
        description="Bring *a blanket*.\n\nAnd food; ours, too.",
        time_zone="America/New_York",
        starts_at=FRIDAY_EVENING.astimezone(UTC),
        ends_at=(FRIDAY_EVENING + timedelta(days=3)).astimezone(UTC),
    )


def download(client, event_id):
    response = client.get(f"/events/{event_id}/calendar.ics")
    assert response.status_code == 200
    return response


def parsed(response):
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.events
    return calendar, event


def test_the_ics_is_a_calendar_file_with_a_safe_name(client, party):
    response = download(client, party.event_id)

    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == 'attachment; filename="summer-picnic.ics"'
    body = response.data.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "DTSTART;TZID=America/New_York:20300308T190000\r\n" in body


def test_a_title_with_quotes_and_slashes_makes_a_plain_file_name(app, client):
    with app.app_context():
        group = make_group(make_user())
        event = make_event(group, title='"../../etc" \\ picnic\r\n')
    response = download(client, event.id)
    assert response.headers["Content-Disposition"] == 'attachment; filename="etc-picnic.ics"'


def test_the_event_says_what_when_and_where(client, party):
    calendar, event = parsed(download(client, party.event_id))

    assert str(calendar["PRODID"]) == "-//Hearth//Events//EN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"event-{party.event_id}@localhost"
    assert str(event["SUMMARY"]) == "Summer picnic"
    assert str(event["LOCATION"]) == "Old Oak, 1 Park Lane"
    assert str(event["STATUS"]) == "CONFIRMED"
    page = f"http://localhost/events/{party.event_id}-summer-picnic"
    assert str(event["URL"]) == page
    assert str(event["DESCRIPTION"]) == (
        f"Bring *a blanket*.\n\nAnd food; ours, too.\n\nEvent page: {page}"
    )
    assert event.sequence == 0
    # Escaped on the wire, as RFC 5545 wants, and whole again once read.
    assert "And food\\; ours\\, too." in download(client, party.event_id).text


def _times_round_trip(client, party):
    calendar, event = parsed(download(client, party.event_id))

    assert [zone.tz_name for zone in calendar.timezones] == ["America/New_York"]
    assert event.start == FRIDAY_EVENING
    assert event.start.tzinfo.key == "America/New_York"
    # Ends on Monday, after the clocks went forward: still 19:00 local, one hour less in UTC.
    assert event.end == datetime(2030, 3, 11, 19, 0, tzinfo=NEW_YORK)
    assert event.end.astimezone(UTC) - event.start.astimezone(UTC) == timedelta(hours=71)
    assert event.end.utcoffset() == timedelta(hours=-4)
    # Seen from Berlin: 01:00 on Saturday, and midnight on Tuesday (five hours apart now).
    assert event.start.astimezone(BERLIN) == datetime(2030, 3, 9, 1, 0, tzinfo=BERLIN)
    assert event.end.astimezone(BERLIN) == datetime(2030, 3, 12, 0, 0, tzinfo=BERLIN)
    # The VTIMEZONE alone (not this machine's tz database) gives the same moments, as it
    # must for a calendar app that does not know the zone's name.
    [zone] = calendar.timezones
    from_file = zone.to_tz(lookup_tzid=False)
    local_start, local_end = event.start.replace(tzinfo=None), event.end.replace(tzinfo=None)
    assert local_start.replace(tzinfo=from_file) == FRIDAY_EVENING
    assert local_end.replace(tzinfo=from_file).utcoffset() == timedelta(hours=-4)


def test_times_are_in_the_events_zone_across_a_daylight_saving_change(client, party):
    _times_round_trip(client, party)


@pytest.mark.postgres
def test_times_round_trip_through_icalendar_on_postgresql(client, party):
    _times_round_trip(client, party)


def test_cancelled_events_say_so_and_the_sequence_grows_with_time_and_place(app, client, party):
    assert parsed(download(client, party.event_id))[1].sequence == 0

    change(app, party.event_id, title="Big summer picnic")
    assert parsed(download(client, party.event_id))[1].sequence == 0

    later = FRIDAY_EVENING.astimezone(UTC) + timedelta(hours=1)
    change(app, party.event_id, starts_at=later, ends_at=later + timedelta(hours=2))
    assert parsed(download(client, party.event_id))[1].sequence == 1

    change(app, party.event_id, venue="Village hall")
    event = parsed(download(client, party.event_id))[1]
    assert (event.sequence, str(event["LOCATION"])) == (2, "Village hall, 1 Park Lane")

    cancel(app, party.event_id)
    event = parsed(download(client, party.event_id))[1]
    assert (event.sequence, str(event["STATUS"])) == (3, "CANCELLED")
    assert str(event["UID"]) == f"event-{party.event_id}@localhost"


def test_an_online_event_is_located_at_its_link_for_members(app, client):
    with app.app_context():
        group = make_group(make_user(email="olu@example.org"))
        online = make_event(group, online_url="https://meet.example.org/picnic").id
        both = make_event(group, venue="Hall", online_url="https://meet.example.org/both").id

    # A visitor reads where the link is, as the event's page tells them.
    event = parsed(download(client, online))[1]
    assert str(event["LOCATION"]) == "Online"
    assert "meet.example.org" not in event.to_ical().decode()
    assert "Online: members of the group find the link" in str(event["DESCRIPTION"])

    member = logged_in(app, "olu@example.org")
    assert str(parsed(download(member, online))[1]["LOCATION"]) == (
        "https://meet.example.org/picnic"
    )
    event = parsed(download(member, both))[1]
    assert str(event["LOCATION"]) == "Hall"
    assert "Online: https://meet.example.org/both" in str(event["DESCRIPTION"])
