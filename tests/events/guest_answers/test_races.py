"""Guests racing members and organisers, on PostgreSQL: a guest's confirmation and a
member's answer for an event's last place at once give it to one and put the other on the
waitlist; a guest confirming while an organiser lowers the capacity ends in one of the two
orders, never with more people going than places; two clicks on one link confirm once."""

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.events.guest_answers.support import answers, ask, build_picnic, confirm_link
from tests.events.rsvp.support import assert_counters_match_rows
from tests.events.support import event_data
from tests.polls.support import logged_in
from tests.support.races import send_at_once
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db

# SQLite runs one write at a time, so the races cannot happen there.
pytestmark = pytest.mark.postgres

ROUNDS = 4


def test_a_guest_and_a_member_taking_the_last_place_at_once(app, mailbox):
    picnic = build_picnic(app, capacity=1)
    amy = logged_in(app, "amy@example.org")
    guest = app.test_client()
    for round_ in range(ROUNDS):
        with app.app_context():
            event = db.session.get(Event, picnic.event_id)
            event_id = event.id if round_ == 0 else _fresh_event_like(event)
        address = f"gus{round_}@example.org"
        ask(guest, event_id, email=address)
        link = confirm_link(mailbox, to=address)
        # The member first in the list one round, the guest first the next.
        posts = [(guest, link, {}), (amy, f"/events/{event_id}/rsvp", {"answer": "going"})]
        if round_ % 2:
            posts.reverse()
        assert send_at_once(posts) == [303, 303]
        given = answers(app, event_id)
        states = sorted(answer for answer, _ticket in given.values())
        assert states == ["going", "waitlisted"], given
        with app.app_context():
            assert_counters_match_rows(event_id)


def _fresh_event_like(event):
    """Another event of the same group with one place (each round races for a new one)."""
    return make_event(event.group, title="Picnic", capacity=1).id


def test_a_guest_confirming_while_the_organiser_lowers_the_capacity(app, mailbox):
    picnic = build_picnic(app, capacity=2)
    olu = logged_in(app, "olu@example.org")
    amy = logged_in(app, "amy@example.org")
    guest = app.test_client()
    outcomes = set()
    for round_ in range(ROUNDS):
        with app.app_context():
            group = db.session.get(Event, picnic.event_id).group
            event_id = make_event(group, title="Picnic", capacity=2).id
        assert amy.submit(f"/events/{event_id}/rsvp", {"answer": "going"}).status_code == 303
        address = f"gus{round_}@example.org"
        ask(guest, event_id, email=address)
        link = confirm_link(mailbox, to=address)
        edit = (olu, f"/events/{event_id}/manage/edit", event_data(title="Picnic", capacity="1"))
        posts = [(guest, link, {}), edit]
        if round_ % 2:
            posts.reverse()
        statuses = send_at_once(posts)
        with app.app_context():
            event = assert_counters_match_rows(event_id)
            capacity = event.capacity
        guest_answer = answers(app, event_id)[address][0]
        if capacity == 1:
            # The capacity went down first: the guest waits.
            assert guest_answer == "waitlisted"
            outcomes.add("lowered first")
        else:
            # The guest took the place first: the lower capacity is refused, beside it.
            assert capacity == 2 and guest_answer == "going"
            assert 422 in statuses
            outcomes.add("confirmed first")
    assert outcomes


def test_two_clicks_on_one_confirmation_link_confirm_once(app, mailbox):
    picnic = build_picnic(app, capacity=5)
    guest = app.test_client()
    ask(guest, picnic.event_id)
    link = confirm_link(mailbox)
    second_tab = app.test_client()
    statuses = send_at_once([(guest, link, {}), (second_tab, link, {})])
    assert sorted(statuses) == [303, 400]
    with app.app_context():
        assert_counters_match_rows(picnic.event_id)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1
