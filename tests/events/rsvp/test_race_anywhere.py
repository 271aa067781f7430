"""Answers at the same moment on whichever database the suite runs on: on SQLite too (the
embedded default serves from threads), where the lock is the database's write lock."""

from tests.events.rsvp.support import (
    assert_counters_match_rows,
    event_with_members,
    going,
    waitlist,
)
from tests.support.races import logged_in_clients, post_at_once
from webapp.events import signals


def test_twenty_going_at_once_to_five_places(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    with app.app_context():
        setup = event_with_members(20, capacity=5)
    clients = logged_in_clients(app, setup.emails)
    order = []

    def answered(event, rsvp, previous, **extra):
        order.append(rsvp.user_id)

    with signals.rsvp_answered.connected_to(answered):
        statuses = post_at_once(clients, f"/events/{setup.event_id}/rsvp", {"answer": "going"})

    assert statuses == [303] * 20
    with app.app_context():
        assert going(setup.event_id) == set(order[:5])
        assert waitlist(setup.event_id) == order[5:]
        assert_counters_match_rows(setup.event_id)
