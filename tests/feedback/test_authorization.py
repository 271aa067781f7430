"""Who may do what with feedback: every feedback route x every kind of person -> status,
on an ended event of a public group, of a private group, a draft, and a cancelled event.

The page is seen by whoever sees the event. Posting takes an active member (login first,
then 404 where the event is hidden, 403 where it is seen); the world's people were not
going, so members reach the rules and are refused there (422, nothing written). The
paths of those who were going are in test_feedback_rules.py."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_guest, make_user
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from tests.tasks.factories import ended_event, going
from webapp.events.guest_answers.links import answer_token
from webapp.events.models import EventStatus

WORLDS = ("public", "private", "draft", "cancelled")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
TABLE = {
    ("feedback.event_feedback", "GET"): (
        "200 200 200 200 200 200 200 200",
        "404 404 404 200 200 200 200 200",
        "404 404 404 404 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    ("feedback.event_feedback", "POST"): (
        "login 403 403 422 422 422 422 403",
        "login 404 404 422 422 422 422 403",
        "login 404 404 404 422 422 422 403",
        "login 403 403 422 422 422 422 403",
    ),
    # A guest's link lets whoever holds it in, logged in or not (the event as each sees
    # it): the guest was going and the door was not used, so their feedback is taken.
    ("feedback.guest_feedback", "GET"): (
        "200 200 200 200 200 200 200 200",
        "404 404 404 200 200 200 200 200",
        "404 404 404 404 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    ("feedback.guest_feedback", "POST"): (
        "303 303 303 303 303 303 303 303",
        "404 404 404 303 303 303 303 303",
        "404 404 404 404 422 422 422 422",
        "422 422 422 422 422 422 422 422",
    ),
}


class World(NamedTuple):
    event_id: int
    guest_token: str


def build_world(kind):
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = {"draft": EventStatus.DRAFT, "cancelled": EventStatus.CANCELLED}.get(
        kind, EventStatus.PUBLISHED
    )
    event = ended_event(group, status=status)
    guest = make_guest(f"guest-{kind}@example.org", verified=True)
    going(event, guest)
    return owner, group, World(event.id, answer_token(event.id, guest.id))


REQUESTS = {
    ("feedback.event_feedback", "GET"): lambda w: (f"/events/{w.event_id}/feedback", None),
    ("feedback.event_feedback", "POST"): lambda w: (
        f"/events/{w.event_id}/feedback",
        {"rating": "5", "comment": "Lovely"},
    ),
    ("feedback.guest_feedback", "GET"): lambda w: (
        f"/events/{w.event_id}/as-guest/{w.guest_token}/feedback",
        None,
    ),
    ("feedback.guest_feedback", "POST"): lambda w: (
        f"/events/{w.event_id}/as-guest/{w.guest_token}/feedback",
        {"rating": "4", "comment": "Grand"},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, ("feedback.",), TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "feedback.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
