"""What a pasted link and a search engine read of a page, through HTTP as a visitor with
no session: the event's, the series', the group's and the events list's title,
description, address and image as Open Graph and Twitter card tags; and the event's
schema.org Event JSON-LD, which names the right instants across the clocks' change (in
Paris, a night that starts in winter time and ends in summer time), says cancelled, full
or online, never hands out the online call's address, and cannot be broken out of by
what an organiser typed."""

import json
import re
from datetime import UTC, datetime
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.events.models import Event, EventStatus
from webapp.extensions import db

NIGHT_STARTS = datetime(2027, 3, 27, 19, 0, tzinfo=UTC)  # 20:00 in Paris, winter time
NIGHT_ENDS = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)  # 10:00 in Paris, summer time


@pytest.fixture
def town(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        make_group(olu, name="Another club")
        walkers = make_group(olu, name="Night Walkers", slug="night-walkers")
        for number in range(2):
            add_member(walkers, make_user(email=f"walker{number}@example.org"))
        make_event(walkers, title="A first walk")
        night = make_event(
            walkers,
            title='The "long" night </script><b>walk</b>',
            starts_at=NIGHT_STARTS,
            duration=NIGHT_ENDS - NIGHT_STARTS,
            time_zone="Europe/Paris",
            venue="Canal du Midi, lock 3",
            address="1 Quai du Canal, Toulouse",
            description="Bring a **lantern** & warm socks.",
        )
        online = make_event(
            walkers, title="Map night", online_url="https://call.example.org/secret-room"
        )
        full = make_event(walkers, title="Small walk", capacity=1)
        full.places_taken = 1
        gone = make_event(walkers, title="Called off", status=EventStatus.CANCELLED)
        db.session.commit()
        return {
            name: f"/events/{event.id}-{event.slug}"
            for name, event in (
                ("night", night),
                ("online", online),
                ("full", full),
                ("gone", gone),
            )
        }


def meta(page, name):
    """The content of the page's <meta property|name=name>, as a parser reads it."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', page)
    assert found, f"no {name}"
    return unescape(found.group(1))


def json_ld(page):
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def test_an_events_link_shows_its_card(app, client, town):
    page = client.get(town["night"]).get_data(as_text=True)
    assert meta(page, "og:title") == 'The "long" night </script><b>walk</b>'
    # Its own card (tests/open_web/test_link_cards.py).
    assert meta(page, "twitter:card") == "summary_large_image"
    url = meta(page, "og:url")
    assert url.startswith("http") and url.endswith(town["night"])
    assert f'<link rel="canonical" href="{url}">' in page
    description = meta(page, "og:description")
    assert "Canal du Midi, lock 3" in description and "Night Walkers" in description
    assert "Bring a lantern & warm socks." in description
    assert meta(page, "description") == description
    assert re.search(r"^http\S*/events/\d+/card\.png$", meta(page, "og:image"))


def test_the_json_ld_names_the_right_instants_across_the_clocks_change(client, town):
    page = client.get(town["night"]).get_data(as_text=True)
    event = json_ld(page)
    assert event["@type"] == "Event" and event["name"] == 'The "long" night </script><b>walk</b>'
    assert event["startDate"] == "2027-03-27T20:00:00+01:00"
    assert event["endDate"] == "2027-03-28T10:00:00+02:00"
    assert datetime.fromisoformat(event["startDate"]) == NIGHT_STARTS
    assert datetime.fromisoformat(event["endDate"]) == NIGHT_ENDS
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place",
        "name": "Canal du Midi, lock 3",
        "address": "1 Quai du Canal, Toulouse",
    }
    assert event["organizer"]["name"] == "Night Walkers"
    assert event["organizer"]["url"].endswith("/groups/night-walkers")
    assert event["offers"]["availability"] == "https://schema.org/InStock"
    # What the organiser typed cannot end the script early.
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<b>" not in script and "</script" not in script.lower()


def test_online_full_and_cancelled_events_say_so(client, town):
    online = client.get(town["online"]).get_data(as_text=True)
    assert json_ld(online)["eventAttendanceMode"] == (
        "https://schema.org/OnlineEventAttendanceMode"
    )
    assert json_ld(online)["location"]["@type"] == "VirtualLocation"
    # The call's address is for members: neither the card nor the JSON-LD hands it out.
    assert "secret-room" not in online
    full = json_ld(client.get(town["full"]).get_data(as_text=True))
    assert full["offers"]["availability"] == "https://schema.org/SoldOut"
    gone = client.get(town["gone"]).get_data(as_text=True)
    assert json_ld(gone)["eventStatus"] == "https://schema.org/EventCancelled"
    assert meta(gone, "og:description").startswith("Cancelled · ")


def test_a_groups_and_the_events_lists_links_show_their_cards(client, town):
    group = client.get("/groups/night-walkers").get_data(as_text=True)
    assert meta(group, "og:title") == "Night Walkers"
    assert meta(group, "og:description").startswith("3 members")
    assert meta(group, "og:url").endswith("/groups/night-walkers")
    events = client.get("/events").get_data(as_text=True)
    assert meta(events, "og:title") == "Events"
    assert meta(events, "og:url").endswith("/events")
    # The site's list has a card of its own (tests/open_web/test_link_cards.py).
    assert re.search(r"^http\S*/events/card\.png$", meta(events, "og:image"))


def test_the_card_follows_the_organisers_changes_and_the_places_left(app, client, town):
    assert meta(client.get(town["full"]).get_data(as_text=True), "og:title") == "Small walk"
    event_id = int(town["full"].split("/")[2].split("-")[0])
    olu = logged_in(app, "olu@example.org")
    edited = olu.submit(
        f"/events/{event_id}/manage/edit", event_data(title="Smaller walk", capacity="5")
    )
    assert edited.status_code == 303
    address = f"/events/{event_id}"
    page = client.get(address, follow_redirects=True).get_data(as_text=True)
    assert meta(page, "og:title") == "Smaller walk"
    assert "The old lock" in meta(page, "og:description")
    assert json_ld(page)["offers"]["availability"] == "https://schema.org/InStock"
    # The last places taken (the organisers changed nothing): the offer says so.
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event_id).values(places_taken=5))
        db.session.commit()
    page = client.get(address, follow_redirects=True).get_data(as_text=True)
    assert json_ld(page)["offers"]["availability"] == "https://schema.org/SoldOut"


def test_a_series_link_shows_its_rule_place_and_group(app, client):
    with app.app_context():
        olu = make_user(email="series-owner@example.org")
        group = make_group(olu, name="Board Gamers", slug="board-gamers")
        first = make_series(olu, group, title="Board games <b>night</b>")
        series_id = first.series_id
    page = client.get(f"/series/{series_id}", follow_redirects=True).get_data(as_text=True)
    assert meta(page, "og:title") == "Board games <b>night</b>"
    assert "<b>" not in page.split("<body", 1)[0]
    description = meta(page, "og:description")
    assert description.startswith("Repeats every ")
    assert "Europe/Madrid · The Lantern · Board Gamers" in description
    assert re.search(rf"^http\S*/series/{series_id}-board-games", meta(page, "og:url"))
