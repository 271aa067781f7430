"""Who may do what with answers without an account: every route x every kind of person ->
status (tests/support/authz.py), for an event of a public group that takes guests, one of
a public group that does not, and one of a private group whose setting says it does (a
private group's events take no guests). The form is for visitors (anyone logged in is sent
to the event's own panel, 303); the confirmation link and the guest's own link are the
credential, whoever holds them, and only where the event takes guests; a guest may still
withdraw once their group stops taking guests. A refused request changes nothing."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_guest, make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.accounts.tokens import issue_token
from webapp.events.guest_answers.links import answer_token
from webapp.events.guest_answers.services import confirm_purpose
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

PREFIXES = ("events.guest_answers.",)
WORLDS = ("guests", "closed", "private")

TABLE = {
    ("events.guest_answers.ask", "GET"): (
        "200 303 303 303 303 303 303 303",
        "404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404",
    ),
    ("events.guest_answers.ask", "POST"): (
        "303 303 303 303 303 303 303 303",
        "404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404",
    ),
    ("events.guest_answers.confirm", "GET"): (
        "200 200 200 200 200 200 200 200",
        "404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404",
    ),
    ("events.guest_answers.confirm", "POST"): (
        "303 303 303 303 303 303 303 303",
        "404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404",
    ),
    ("events.guest_answers.manage", "GET"): (
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200",
        "404 404 404 200 200 200 200 200",
    ),
    ("events.guest_answers.manage", "POST"): (
        "303 303 303 303 303 303 303 303",
        "303 303 303 303 303 303 303 303",
        "404 404 404 303 303 303 303 303",
    ),
    ("events.guest_answers.save_questions", "POST"): (
        "303 303 303 303 303 303 303 303",
        "303 303 303 303 303 303 303 303",
        "404 404 404 303 303 303 303 303",
    ),
}


class World(NamedTuple):
    event_id: int
    confirm_token: str
    answer_token: str


def build_world(kind):
    owner = make_user()
    group = make_group(
        owner, visibility="private" if kind == "private" else "public", allows_guests=True
    )
    make_event(group, title="Picnic")
    event = make_event(group, title="Picnic", capacity=5)
    # A guest who answered while the group took guests, and one whose link waits.
    answered = make_guest("gus@example.org", verified=True)
    waiting = make_guest("ida@example.org", first_name="Ida")
    if kind != "private":
        answer_event(answered, event, "going", 0)
    else:
        # A private group's events take no guests: the row as an older answer left it.
        db.session.add(Rsvp(event_id=event.id, user_id=answered.id, answer=Answer.MAYBE))
    details = {"name": "Ida", "answer": "going", "guests": 0, "language": "en"}
    confirm = issue_token(waiting, confirm_purpose(event.id), max_age=86400, details=details)
    group.allows_guests = kind != "closed"
    db.session.commit()
    return owner, group, World(event.id, confirm, answer_token(event.id, answered.id))


GUEST_FORM = {"name": "Vic", "email": "vic@example.org", "answer": "going", "guests": "0"}

REQUESTS = {
    ("events.guest_answers.ask", "GET"): lambda w: (f"/events/{w.event_id}/as-guest", None),
    ("events.guest_answers.ask", "POST"): lambda w: (
        f"/events/{w.event_id}/as-guest",
        GUEST_FORM,
    ),
    ("events.guest_answers.confirm", "GET"): lambda w: (
        f"/events/{w.event_id}/as-guest/confirm/{w.confirm_token}",
        None,
    ),
    ("events.guest_answers.confirm", "POST"): lambda w: (
        f"/events/{w.event_id}/as-guest/confirm/{w.confirm_token}",
        {},
    ),
    ("events.guest_answers.manage", "GET"): lambda w: (
        f"/events/{w.event_id}/as-guest/{w.answer_token}",
        None,
    ),
    ("events.guest_answers.manage", "POST"): lambda w: (
        f"/events/{w.event_id}/as-guest/{w.answer_token}",
        {"answer": "not_going"},
    ),
    ("events.guest_answers.save_questions", "POST"): lambda w: (
        f"/events/{w.event_id}/as-guest/{w.answer_token}/questions",
        {},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "world", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, world, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, world, role, expected
    )
