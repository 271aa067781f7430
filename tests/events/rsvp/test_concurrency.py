"""Many members answering at the same moment, over HTTP, each request in a thread of its
own with its own app context and database session, against PostgreSQL.

The order in which requests held the event's lock is recorded by a receiver of
rsvp_answered: it runs while its request holds the lock, and the next request only gets
the lock once that one has committed, so this is the order of their commits.
"""

import pytest

from tests.events.rsvp.support import (
    assert_counters_match_rows,
    event_with_members,
    going,
    waitlist,
)
from tests.support.races import logged_in_clients, post_at_once, tabs_of
from webapp import live
from webapp.accounts.models import User
from webapp.database.redis_client import get_redis
from webapp.events import signals
from webapp.events.models import Event
from webapp.events.rsvp.services import panel_topic
from webapp.extensions import db

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

MEMBERS = 50
CAPACITY = 10
LEAVING = 5


@pytest.fixture
def crowd(app, monkeypatch):
    # Fifty logins from one test address: the login limit is not what this is about.
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "1000 per minute")
    with app.app_context():
        setup = event_with_members(MEMBERS, capacity=CAPACITY)
    return setup, logged_in_clients(app, setup.emails)


def test_fifty_going_at_once_to_ten_places_then_five_leaving_at_once(app, crowd):
    setup, clients = crowd
    url = f"/events/{setup.event_id}/rsvp"
    order, promoted = [], []
    with app.app_context():
        first_version = db.session.get(Event, setup.event_id).rsvp_version

    def answered(event, rsvp, previous, **extra):
        order.append(rsvp.user_id)

    def promotion(event, rsvp, **extra):
        promoted.append(rsvp.user_id)

    with signals.rsvp_answered.connected_to(answered):
        statuses = post_at_once(clients, url, {"answer": "going"})

    assert statuses == [303] * MEMBERS
    assert sorted(order) == sorted(setup.user_ids)
    with app.app_context():
        assert going(setup.event_id) == set(order[:CAPACITY])
        assert waitlist(setup.event_id) == order[CAPACITY:]
        event = assert_counters_match_rows(setup.event_id)
        assert (event.going_count, event.waitlist_count) == (CAPACITY, MEMBERS - CAPACITY)
        assert_panel_version_is(setup.event_id, first_version + MEMBERS)

    leaving_ids = order[:LEAVING]
    by_user = dict(zip(setup.user_ids, clients, strict=True))
    with signals.rsvp_promoted.connected_to(promotion):
        statuses = post_at_once([by_user[u] for u in leaving_ids], url, {"answer": "not_going"})

    assert statuses == [303] * LEAVING
    # Exactly the next five in line, in line order, each promoted (and so mailed) once.
    assert promoted == order[CAPACITY : CAPACITY + LEAVING]
    with app.app_context():
        assert going(setup.event_id) == set(order[LEAVING : CAPACITY + LEAVING])
        assert waitlist(setup.event_id) == order[CAPACITY + LEAVING :]
        assert_counters_match_rows(setup.event_id)
        assert_panel_version_is(setup.event_id, first_version + MEMBERS + LEAVING)


def assert_panel_version_is(event_id, expected):
    """Each answer moved the panel's version on once, and however their publications
    crossed on the way to Redis, the live topic ends on the last."""
    version = db.session.get(Event, event_id).rsvp_version
    assert version == expected
    assert get_redis().hget(panel_topic(event_id), live.VERSION) == str(version).encode()


def test_one_person_clicking_going_ten_times_at_once_answers_once(app, monkeypatch):
    with app.app_context():
        setup = event_with_members(1, capacity=3)
    tabs = tabs_of(app, setup.emails[0], 10)
    seen = []

    def answered(event, rsvp, previous, **extra):
        seen.append(previous)

    with signals.rsvp_answered.connected_to(answered):
        statuses = post_at_once(tabs, f"/events/{setup.event_id}/rsvp", {"answer": "going"})

    assert statuses == [303] * 10
    assert seen == [None]
    with app.app_context():
        assert going(setup.event_id) == {setup.user_ids[0]}
        assert_counters_match_rows(setup.event_id)
        assert db.session.get(User, setup.user_ids[0]) is not None
