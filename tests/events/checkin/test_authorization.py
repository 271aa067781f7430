"""Who may work the door: every door route x every kind of person -> status, for an event
in a public group and in a private one (tests/support/authz.py). Only the event's
organisers, its co-host and site admins do, a scanned pass included; those who may not see the event
get 404, those who see it 403, and a refused request leaves every table as it was. A door
pass is its own person's alone: nobody in the table goes, so there is none for them
(404); tests/events/checkin/test_passes.py has the person going."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from tests.tasks.factories import going
from webapp.events.checkin.models import WalkIn
from webapp.events.checkin.passes import pass_token
from webapp.extensions import db

PREFIXES = ("events.checkin.", "events.door_pass.")
WORLDS = ("public", "private")


def answers(ok):
    """A line per world, in the order of ROLES: visitor outsider pending member cohost
    organiser owner admin; ok is what the organisers (and the event's co-host) get."""
    return (
        f"login 403 403 403 {ok} {ok} {ok} {ok}",
        f"login 404 404 403 {ok} {ok} {ok} {ok}",
    )


# Without JavaScript a tap comes back to the door (303), and the counts' poll, asked for
# as a page, sends one there too.
TABLE = {
    ("events.checkin.door", "GET"): answers(200),
    ("events.checkin.live_counts", "GET"): answers(303),
    ("events.checkin.check_in_person", "POST"): answers(303),
    ("events.checkin.undo", "POST"): answers(303),
    ("events.checkin.scan", "GET"): answers(200),
    ("events.checkin.scan", "POST"): answers(303),
    ("events.checkin.add_walk_in", "POST"): answers(303),
    ("events.checkin.remove_walk_in", "POST"): answers(303),
    ("events.door_pass.show", "GET"): ("login 404 404 404 404 404 404 404",) * 2,
}


class World(NamedTuple):
    event_id: int
    guest_id: int
    pass_token: str
    walk_in_id: int


def build_world(kind):
    """An event with one person going; (owner, group, World)."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    event = make_event(group, title="Night walk")
    person = make_user(first_name="Gus")
    add_member(group, person)
    going(event, person)
    walk_in = WalkIn(event_id=event.id, name="Tom Thumb")
    db.session.add(walk_in)
    db.session.commit()
    token = pass_token(event.id, person.id)
    return owner, group, World(event.id, person.id, token, walk_in.id)


REQUESTS = {
    ("events.checkin.door", "GET"): lambda w: (f"/events/{w.event_id}/door?q=gus", None),
    ("events.checkin.live_counts", "GET"): lambda w: (f"/events/{w.event_id}/door/live", None),
    ("events.checkin.check_in_person", "POST"): lambda w: (
        f"/events/{w.event_id}/door/{w.guest_id}/check-in",
        {},
    ),
    ("events.checkin.undo", "POST"): lambda w: (f"/events/{w.event_id}/door/{w.guest_id}/undo", {}),
    ("events.checkin.scan", "GET"): lambda w: (
        f"/events/{w.event_id}/door/scan/{w.pass_token}",
        None,
    ),
    ("events.checkin.scan", "POST"): lambda w: (
        f"/events/{w.event_id}/door/scan/{w.pass_token}",
        {},
    ),
    ("events.checkin.add_walk_in", "POST"): lambda w: (
        f"/events/{w.event_id}/door/walk-ins",
        {"name": "Kit", "email": ""},
    ),
    ("events.checkin.remove_walk_in", "POST"): lambda w: (
        f"/events/{w.event_id}/door/walk-ins/{w.walk_in_id}/remove",
        {},
    ),
    ("events.door_pass.show", "GET"): lambda w: (f"/events/{w.event_id}/pass", None),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "world", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_work_the_door(app, client, shared_world, endpoint, method, world, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, world, role, expected
    )
