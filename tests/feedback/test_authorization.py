"""Who may do what with feedback: both feedback routes x every kind of person -> status,
on an ended event of a public group, of a private group, a draft, and a cancelled event.

The page is seen by whoever sees the event. Posting takes an active member (login first,
then 404 where the event is hidden, 403 where it is seen); the world's people were not
going, so members reach the rules and are refused there (422, nothing written). The
paths of those who were going are in test_feedback_rules.py."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from tests.tasks.factories import ended_event
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
}


class World(NamedTuple):
    event_id: int


def build_world(kind):
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = {"draft": EventStatus.DRAFT, "cancelled": EventStatus.CANCELLED}.get(
        kind, EventStatus.PUBLISHED
    )
    return owner, group, World(ended_event(group, status=status).id)


REQUESTS = {
    ("feedback.event_feedback", "GET"): lambda w: (f"/events/{w.event_id}/feedback", None),
    ("feedback.event_feedback", "POST"): lambda w: (
        f"/events/{w.event_id}/feedback",
        {"rating": "5", "comment": "Lovely"},
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
