"""Who may name and remove co-hosts: every events.cohosts route x every kind of person ->
status, for an event of a public group, of a private group, and a draft (of a public
group). The harness is tests/support/authz.py: a new route without a row fails
test_every_route_has_a_row, and a refused request leaves every table as it was.

Only the group's organisers (owners, organisers, site admins) do: the event's co-host may
see the event (a draft too) but names nobody (403), as members may not; those who may
not see the event get 404.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.events.models import EventStatus

PREFIXES = ("events.cohosts.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
PAGE = (
    "login 403 403 403 403 200 200 200",
    "login 404 404 403 403 200 200 200",
    "login 404 404 404 403 200 200 200",
)
ACTION = tuple(line.replace("200", "303") for line in PAGE)

TABLE = {
    ("events.cohosts.page", "GET"): PAGE,
    ("events.cohosts.page", "POST"): ACTION,
    ("events.cohosts.remove", "POST"): ACTION,
}


class World(NamedTuple):
    event_id: int
    candidate_id: int
    named_id: int


def build_world(kind):
    """An owner's group and event (a draft, or of a private group, as kind says); Cy, a
    member who could co-host it, and Ann, who co-hosts it already."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, title="Lantern night", status=status)
    candidate = make_user(first_name="Cy")
    named = make_user(first_name="Ann")
    for person in (candidate, named):
        add_member(group, person)
    make_cohost(event, named, added_by=owner)
    return owner, group, World(event.id, candidate.id, named.id)


REQUESTS = {
    ("events.cohosts.page", "GET"): lambda w: (f"/events/{w.event_id}/cohosts", None),
    ("events.cohosts.page", "POST"): lambda w: (
        f"/events/{w.event_id}/cohosts",
        {"member": str(w.candidate_id)},
    ),
    ("events.cohosts.remove", "POST"): lambda w: (
        f"/events/{w.event_id}/cohosts/{w.named_id}/remove",
        {},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_name_cohosts(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
