"""Who may do what: every route of the events work x every kind of person -> status, for
an event of a public group, of a private group, and a draft (of a public group).
The event's co-host edits and publishes it (a draft of theirs too) but neither cancels
nor deletes it, nor starts one in the group: those are the group's organisers'.

The harness is tests/support/authz.py: a new route under these prefixes without a row fails
test_every_route_has_a_row, and a refused request must leave every table as it was. A
draft is its organisers' (and co-host's) alone: others get 404, as for a private group's
events. Two
cells answer a rule rather than a person: publishing what is already published redirects
with a message (303), and cancelling a draft is refused (422, "delete it instead").
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data
from tests.groups.factories import make_group
from tests.support.authz import actor_for, assert_shared_cell, assert_table_covers, cases
from webapp.events.models import EventStatus

PREFIXES = ("events.new", "events.detail", "events.index", "events.manage.")
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
EVERYONE = "200 200 200 200 200 200 200 200"
# Editing and publishing: the event's co-host too (a draft's co-host sees it).
MANAGE_PAGE = (
    "login 403 403 403 200 200 200 200",
    "login 404 404 403 200 200 200 200",
    "login 404 404 404 200 200 200 200",
)
MANAGE_ACTION = tuple(line.replace("200", "303") for line in MANAGE_PAGE)
# Cancelling and deleting: the group's organisers alone.
ORGANISE_PAGE = (
    "login 403 403 403 403 200 200 200",
    "login 404 404 403 403 200 200 200",
    "login 404 404 404 403 200 200 200",
)
ORGANISE_ACTION = tuple(line.replace("200", "303") for line in ORGANISE_PAGE)
NEW_PAGE = (
    "login 403 403 403 403 200 200 200",
    "login 404 404 403 403 200 200 200",
    "login 403 403 403 403 200 200 200",  # the draft's group is public
)
NEW_ACTION = tuple(line.replace("200", "303") for line in NEW_PAGE)

# (endpoint, method): (statuses for a public group's event, a private group's, a draft)
TABLE = {
    ("events.index", "GET"): (EVERYONE, EVERYONE, EVERYONE),
    ("events.detail", "GET"): (
        EVERYONE,
        "404 404 404 200 200 200 200 200",
        "404 404 404 404 200 200 200 200",
    ),
    ("events.new", "GET"): NEW_PAGE,
    ("events.new", "POST"): NEW_ACTION,
    ("events.manage.edit", "GET"): MANAGE_PAGE,
    ("events.manage.edit", "POST"): MANAGE_ACTION,
    ("events.manage.publish", "POST"): MANAGE_ACTION,
    ("events.manage.cancel", "GET"): ORGANISE_PAGE,
    ("events.manage.cancel", "POST"): (
        ORGANISE_ACTION[0],
        ORGANISE_ACTION[1],
        "login 404 404 404 403 422 422 422",
    ),
    ("events.manage.delete", "GET"): ORGANISE_PAGE,
    ("events.manage.delete", "POST"): ORGANISE_ACTION,
}


class World(NamedTuple):
    slug: str
    event_id: int
    event_slug: str


def build_world(kind):
    owner = make_user()
    visibility = "private" if kind == "private" else "public"
    group = make_group(owner, name="Lantern Makers", visibility=visibility)
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, title="Lantern night", status=status)
    return owner, group, World(group.slug, event.id, event.slug)


def manage(w, action):
    return f"/events/{w.event_id}/manage/{action}"


# What each route is sent: a well-formed request, so a refusal can only be about who asks.
REQUESTS = {
    ("events.index", "GET"): lambda w: ("/events", None),
    ("events.detail", "GET"): lambda w: (f"/events/{w.event_id}-{w.event_slug}", None),
    ("events.new", "GET"): lambda w: (f"/groups/{w.slug}/events/new", None),
    ("events.new", "POST"): lambda w: (f"/groups/{w.slug}/events/new", event_data()),
    ("events.manage.edit", "GET"): lambda w: (manage(w, "edit"), None),
    ("events.manage.edit", "POST"): lambda w: (manage(w, "edit"), event_data()),
    ("events.manage.publish", "POST"): lambda w: (manage(w, "publish"), {}),
    ("events.manage.cancel", "GET"): lambda w: (manage(w, "cancel"), None),
    ("events.manage.cancel", "POST"): lambda w: (manage(w, "cancel"), {}),
    ("events.manage.delete", "GET"): lambda w: (manage(w, "delete"), None),
    ("events.manage.delete", "POST"): lambda w: (manage(w, "delete"), {}),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "events.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


def test_one_groups_organiser_cannot_manage_another_groups_event(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        organiser = actor_for("organiser", None, mine)
        email = organiser.email
        _, _, theirs = build_world("public")
    auth.login(email)

    for action in ("edit", "publish", "cancel", "delete"):
        assert client.submit(manage(theirs, action), event_data()).status_code == 403, action
        if action != "publish":
            assert client.get(manage(theirs, action)).status_code == 403, action


def test_a_deleted_event_is_gone_even_for_its_organisers(app, client, auth):
    with app.app_context():
        owner, _, world = build_world("public")
        email = owner.email
    auth.login(email)
    assert client.submit(manage(world, "delete")).status_code == 303

    for action in ("edit", "cancel", "delete"):
        assert client.get(manage(world, action)).status_code == 404, action
    assert client.submit(manage(world, "publish")).status_code == 404
    assert client.get(f"/events/{world.event_id}").status_code == 404
