"""Who may do what with answers: every events.rsvp route x every kind of person -> status,
for an event of a public group, of a private group, and a draft.

The harness is tests/support/authz.py (a refused request, or any GET, must leave every table as
it was). Answering takes an active member; the attendee list is for members and
organisers; removing and exporting for organisers, the event's co-host and site admins. A
private group's events are 404 to outsiders, a draft 404 to all but its organisers and
co-host, and a draft takes no answers yet (422, with the reason).
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.authz import ROLES, assert_shared_cell, assert_table_covers, cases, enter_shared
from webapp.events.models import EventStatus
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

PREFIXES = ("events.rsvp.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
EVERYONE = "200 200 200 200 200 200 200 200"
MEMBERS_SEE = "404 404 404 200 200 200 200 200"
ORGANISERS_SEE = "404 404 404 404 200 200 200 200"

# (endpoint, method): statuses for a public group's event, a private group's, a draft.
TABLE = {
    ("events.rsvp.answer", "POST"): (
        "login 403 403 303 303 303 303 403",
        "login 404 404 303 303 303 303 403",
        "login 404 404 404 422 422 422 403",
    ),
    ("events.rsvp.answer", "GET"): (EVERYONE, MEMBERS_SEE, ORGANISERS_SEE),
    # Without htmx the live address only leads to the panel (and reads nothing).
    ("events.rsvp.live_panel", "GET"): ("303 303 303 303 303 303 303 303",) * 3,
    ("events.rsvp.attendees", "GET"): (
        "login 403 403 200 200 200 200 200",
        "login 404 404 200 200 200 200 200",
        "login 404 404 404 200 200 200 200",
    ),
    ("events.rsvp.remove", "GET"): (
        "login 403 403 403 200 200 200 200",
        "login 404 404 403 200 200 200 200",
        "login 404 404 404 200 200 200 200",
    ),
    ("events.rsvp.remove", "POST"): (
        "login 403 403 403 303 303 303 303",
        "login 404 404 403 303 303 303 303",
        "login 404 404 404 303 303 303 303",
    ),
    ("events.rsvp.export", "GET"): (
        "login 403 403 403 200 200 200 200",
        "login 404 404 403 200 200 200 200",
        "login 404 404 404 200 200 200 200",
    ),
}


class World(NamedTuple):
    event_id: int
    rsvp_id: int


def build_world(kind):
    """An owner's group and event (capacity 5), and a member who answered going."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, capacity=5, status=EventStatus.PUBLISHED)
    attendee = add_member(group, make_user()).user
    rsvp = answer_event(attendee, event, "going")
    event.status = status
    db.session.commit()
    return owner, group, World(event.id, rsvp.id)


REQUESTS = {
    ("events.rsvp.answer", "POST"): lambda w: (f"/events/{w.event_id}/rsvp", {"answer": "going"}),
    ("events.rsvp.answer", "GET"): lambda w: (f"/events/{w.event_id}/rsvp", None),
    ("events.rsvp.live_panel", "GET"): lambda w: (f"/events/{w.event_id}/rsvp/live?v=1", None),
    ("events.rsvp.attendees", "GET"): lambda w: (f"/events/{w.event_id}/attendees", None),
    ("events.rsvp.remove", "GET"): lambda w: (
        f"/events/{w.event_id}/attendees/{w.rsvp_id}/remove",
        None,
    ),
    ("events.rsvp.remove", "POST"): lambda w: (
        f"/events/{w.event_id}/attendees/{w.rsvp_id}/remove",
        {},
    ),
    ("events.rsvp.export", "GET"): lambda w: (f"/events/{w.event_id}/attendees.csv", None),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "events.rsvp.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


# The poll as htmx sends it, with a version that is behind: the panel for those who may
# see the event. (A poll whose version is current answers 204 to anyone, unread: it
# tells nothing but "what you have is current", and the version came from the panel.)
LIVE_POLL = dict(zip(WORLDS, (EVERYONE, MEMBERS_SEE, ORGANISERS_SEE), strict=True))


@pytest.mark.parametrize(
    ("role", "kind"),
    # A world's cells one after another, so that they share it.
    [pytest.param(role, kind, id=f"{role}-{kind}") for kind in WORLDS for role in ROLES],
)
def test_who_gets_the_live_panel(app, client, shared_world, kind, role):
    world = enter_shared(app, client, shared_world, build_world, kind, role)
    expected = LIVE_POLL[kind].split()[ROLES.index(role)]
    response = client.get(f"/events/{world.event_id}/rsvp/live?v=1", headers={"HX-Request": "true"})
    assert response.status_code == int(expected)
