"""Who may do what with calendars: every events.calendar route x every kind of person,
for an event of a public group, of a private group, and a draft (tests/support/authz.py).

An event's .ics goes to exactly those who may see the event: a private group's to its
members, a draft to its organisers and co-host. A feed answers to its address alone, whoever holds
it: the address is the credential (a wrong one is a 404, tested in the feed's tests).
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.database.times import utcnow
from webapp.events.calendar.feeds import feed_token
from webapp.events.models import Event, EventStatus
from webapp.extensions import db

PREFIXES = ("events.calendar.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
EVERYONE = "200 200 200 200 200 200 200 200"
MEMBERS = "404 404 404 200 200 200 200 200"
ORGANISERS = "404 404 404 404 200 200 200 200"

TABLE = {
    ("events.calendar.event_ics", "GET"): (EVERYONE, MEMBERS, ORGANISERS),
    ("events.calendar.feed", "GET"): (EVERYONE, EVERYONE, EVERYONE),
}


class World(NamedTuple):
    event_id: int
    feed_token: str


def build_world(kind):
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, title="Lantern walk", status=status)
    return owner, group, World(event.id, feed_token(owner.id, 0))


REQUESTS = {
    ("events.calendar.event_ics", "GET"): lambda w: (f"/events/{w.event_id}/calendar.ics", None),
    ("events.calendar.feed", "GET"): lambda w: (f"/calendar/{w.feed_token}.ics", None),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "events.calendar.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


def test_a_deleted_events_ics_is_gone_for_everyone(app, client, auth):
    with app.app_context():
        owner, _, world = build_world("public")
        email = owner.email
        db.session.get(Event, world.event_id).deleted_at = utcnow()
        db.session.commit()
    auth.login(email)
    assert client.get(f"/events/{world.event_id}/calendar.ics").status_code == 404
