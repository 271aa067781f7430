"""Counts on the event pages read right for one and for many: each is a plural form of the
catalogue (docs/translating.md), so English says "1 place" and "2 places", and a
language with other forms gets them."""

import re
from datetime import datetime, timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import event_with_members
from tests.groups.factories import add_member, make_group
from tests.support.auth import field_error, html, login_data
from webapp.database.unit_of_work import RuleError
from webapp.events.models import Event
from webapp.events.services import EventDetails, update_event
from webapp.events.times import to_utc
from webapp.extensions import db
from webapp.groups.models import Group


def text_of(markup):
    return " ".join(re.sub(r"<[^>]+>", "", markup).split())


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


def places_line(response, event_id):
    found = re.search(rf'<dd id="event-places-{event_id}".*?</dd>', html(response), re.S)
    return text_of(found.group(0))


def panel_counts(response):
    return text_of(re.search(r'<p class="rsvp-counts">.*?</p>', html(response), re.S).group(0))


@pytest.fixture
def walkers(app):
    with app.app_context():
        group = make_group(make_user(email="owner@example.org"), name="Walkers", slug="walkers")
        return group.id


def event_of(app, group_id, **fields):
    with app.app_context():
        return make_event(db.session.get(Group, group_id), **fields).id


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"capacity": 1, "places_taken": 1, "going_count": 1}, "Full (1 place) · 1 going"),
        ({"capacity": 2, "places_taken": 2, "going_count": 2}, "Full (2 places) · 2 going"),
        ({"capacity": 2, "places_taken": 1, "going_count": 1}, "1 place left of 2 · 1 going"),
        ({"capacity": 3, "places_taken": 1, "going_count": 1}, "2 places left of 3 · 1 going"),
        ({"guests_allowed": 1}, "Each member may bring up to 1 guest."),
        ({"guests_allowed": 2}, "Each member may bring up to 2 guests."),
    ],
)
def test_the_places_line(app, client, walkers, fields, line):
    event_id = event_of(app, walkers, **fields)
    assert line in places_line(client.get(f"/events/{event_id}", follow_redirects=True), event_id)


@pytest.mark.parametrize(
    ("fields", "counts"),
    [
        ({"going_count": 1, "places_taken": 2}, "1 going (and 1 guest)"),
        ({"going_count": 1, "places_taken": 3}, "1 going (and 2 guests)"),
        ({"waitlist_count": 1}, "0 going · 1 on the waitlist"),
        ({"waitlist_count": 2, "maybe_count": 1}, "0 going · 2 on the waitlist · 1 maybe"),
    ],
)
def test_the_panels_counts(app, client, walkers, fields, counts):
    event_id = event_of(app, walkers, **fields)
    assert panel_counts(client.get(f"/events/{event_id}", follow_redirects=True)) == counts


@pytest.mark.parametrize(("guests", "said"), [(1, "1 guest"), (2, "2 guests")])
def test_going_with_guests(app, guests, said):
    with app.app_context():
        setup = event_with_members(1, guests_allowed=2, title="Lantern walk")
    member = logged_in(app, setup.emails[0])
    answer = f"/events/{setup.event_id}/rsvp"
    page = member.get(member.submit(answer, {"answer": "going", "guests": guests}).location)
    assert f"You are going with {said}." in html(page)
    assert f"Your answer: Going, with {said}." in text_of(html(page))
    attendees = text_of(html(member.get(f"/events/{setup.event_id}/attendees")))
    assert f"(you) and {said}" in attendees


@pytest.mark.parametrize(
    ("allowed", "message"),
    [(1, "You can bring up to 1 guest."), (2, "You can bring up to 2 guests.")],
)
def test_too_many_guests(app, allowed, message):
    with app.app_context():
        setup = event_with_members(1, guests_allowed=allowed)
    member = logged_in(app, setup.emails[0])
    refused = member.submit(
        f"/events/{setup.event_id}/rsvp", {"answer": "going", "guests": allowed + 1}, htmx=True
    )
    assert refused.status_code == 422
    assert field_error(refused, f"rsvp-guests-{setup.event_id}") == message


@pytest.mark.parametrize(("matching", "said"), [(1, "1 event matches"), (2, "2 events match")])
def test_the_searchs_count(app, client, walkers, matching, said):
    for number in range(matching):
        event_of(app, walkers, title=f"Heron walk {number}", starts_in=timedelta(days=3))
    page = html(client.get("/events?q=heron"))
    assert f'data-announce="{said}"' in page


@pytest.mark.parametrize(
    ("taken", "message"),
    [
        (1, "1 place is already taken (people going and their guests)"),
        (2, "2 places are already taken (people going and their guests)"),
    ],
)
def test_the_capacity_below_places_taken(app, walkers, taken, message):
    # Through a form the capacity is at least 1, so only the plural can be shown there
    # (test_manage); the rule itself words both.
    event_id = event_of(app, walkers, capacity=5, places_taken=taken, going_count=taken)
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        details = EventDetails(
            title=event.title,
            description="",
            venue="",
            address="",
            online_url="",
            time_zone="UTC",
            starts_at=event.starts_at.replace(tzinfo=None),
            ends_at=event.ends_at.replace(tzinfo=None),
            capacity=taken - 1,
            rsvp_deadline=None,
            guests_allowed=0,
        )
        with pytest.raises(RuleError) as refused:
            update_event(event.created_by, event, details)
        db.session.rollback()
    assert refused.value.field == "capacity"
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize(
    ("zone", "local", "jump"),
    [
        ("Europe/Berlin", datetime(2027, 3, 28, 2, 30), "the clocks go forward an hour"),
        # Lord Howe Island moves its clocks by half an hour.
        ("Australia/Lord_Howe", datetime(2027, 10, 3, 2, 15), "the clocks go forward 30 minutes"),
    ],
)
def test_a_skipped_time_says_how_far_the_clocks_jump(app, zone, local, jump):
    with app.test_request_context(), pytest.raises(RuleError) as refused:
        to_utc(local, zone, "starts_at")
    assert jump in refused.value.message


def test_a_member_of_two_groups_sees_one_going_each(app, client):
    """The lists' cards and short lists: "1 going" and "2 going"."""
    with app.app_context():
        group = make_group(make_user(email="olga@example.org"), name="Choir", slug="choir")
        add_member(group, make_user(email="mina@example.org"))
        make_event(group, title="Rehearsal", going_count=1, starts_in=timedelta(days=1))
        make_event(group, title="Concert", going_count=2, starts_in=timedelta(days=2))
    listing = text_of(html(client.get("/events")))
    assert "Choir 1 going" in listing and "Choir 2 going" in listing
    group_page = text_of(html(client.get("/groups/choir")))
    assert "· 1 going" in group_page and "· 2 going" in group_page
