"""An online event's link (the call's address) is for the members of its group, as its
page shows it: nothing else a visitor or an outsider can read carries it, neither the
event's or its series' .ics download nor a public feed, an embedded list or a link
preview; a member's .ics does, with the place "Online" for everyone else."""

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.events.models import Event
from webapp.extensions import db

CALL = "https://meet.example.org/room-7f3a"


@pytest.fixture
def call(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        make_user(email="out@example.org")
        other = make_group(olu, name="Others", slug="others")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        add_member(walkers, make_user(email="mia@example.org"))
        make_event(other, title="Picnic", venue="Old Oak")
        event = make_event(walkers, title="Call", online_url=CALL)
        weekly = make_series(olu, walkers, title="Weekly call")
        weekly.series.online_url = CALL
        for date in db.session.scalars(sa.select(Event).where(Event.series_id == weekly.series_id)):
            date.online_url = CALL
        db.session.commit()
        return {"event": event.id, "series": weekly.series_id}


def readable(ids):
    event_id, series_id = ids["event"], ids["series"]
    return [
        f"/series/{series_id}",
        f"/series/{series_id}/calendar.ics",
        f"/events/{event_id}",
        f"/events/{event_id}/calendar.ics",
        "/events.ics",
        "/events.atom",
        "/groups/walkers/events.ics",
        "/groups/walkers/events.atom",
        "/groups/walkers/embed",
        "/embed",
        "/events",
        "/groups/walkers",
    ]


@pytest.mark.parametrize("who", ["visitor", "out@example.org"])
def test_nothing_a_non_member_reads_carries_the_link(app, call, who):
    client = app.test_client() if who == "visitor" else logged_in(app, who)
    for path in readable(call):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        assert "room-7f3a" not in response.data.decode(), path
    [event] = Calendar.from_ical(client.get(f"/events/{call['event']}/calendar.ics").data).events
    assert str(event["LOCATION"]) == "Online"


def test_a_member_reads_it_on_the_page_and_in_the_ics(app, call):
    member = logged_in(app, "mia@example.org")
    assert CALL in member.get(f"/events/{call['event']}", follow_redirects=True).data.decode()
    [event] = Calendar.from_ical(member.get(f"/events/{call['event']}/calendar.ics").data).events
    assert str(event["LOCATION"]) == CALL
    dates = Calendar.from_ical(member.get(f"/series/{call['series']}/calendar.ics").data).events
    # A place of its own (The Lantern), and the link beside it.
    assert dates and all(f"Online: {CALL}" in str(date["DESCRIPTION"]) for date in dates)
