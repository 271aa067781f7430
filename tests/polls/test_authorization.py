"""Who may do what with polls: every polls route x every kind of person -> status, for a
date poll on an event of a public group, a poll of a private group, and a poll on a
draft event (of a public group); and for the routes that tell them apart, a date poll of
a public group on no event.

The harness is tests/support/authz.py: a new polls route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) must leave every table as
it was. Seeing a poll is seeing its group, or its event: a draft's polls are its
organisers' and co-host's alone (404 to others). Voting takes an active member (a site
admin who is not one sees the poll but may not vote: 403); organising takes an organiser,
or for a poll on an event the event's co-host. Only a date poll's slot can become its
event's date, and only a slot of a date poll on no event a new event: for the others,
organisers get 404.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import local
from tests.groups.factories import make_group
from tests.polls.factories import make_poll, option_ids, slots_from_now
from tests.polls.support import poll_data
from tests.support.authz import (
    ROLES,
    actor_for,
    assert_shared_cell,
    assert_table_covers,
    cases,
    enter_shared,
)
from webapp.events.models import EventStatus

PREFIXES = ("polls.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin. The co-host co-hosts the
# world's event: they run its polls (public, draft), not the group's (private).
EVERYONE = "200 200 200 200 200 200 200 200"
SEE = (EVERYONE, "404 404 404 200 200 200 200 200", "404 404 404 404 200 200 200 200")
MANAGE_PAGE = (
    "login 403 403 403 200 200 200 200",
    "login 404 404 403 403 200 200 200",
    "login 404 404 404 200 200 200 200",
)
MANAGE_ACTION = tuple(line.replace("200", "303") for line in MANAGE_PAGE)
NOT_A_GROUP_DATE_POLL = (
    "login 403 403 403 404 404 404 404",
    "login 404 404 403 403 404 404 404",
    "login 404 404 404 404 404 404 404",
)
# A new poll of the group: the group's organisers'; the draft world's group is public.
GROUP_PAGE = "login 403 403 403 403 200 200 200"
NEW_IN_GROUP = (GROUP_PAGE, "login 404 404 403 403 200 200 200", GROUP_PAGE)
# A new poll on the world's event: its co-host's too, in every world.
ON_EVENT_PAGE = (
    "login 403 403 403 200 200 200 200",
    "login 404 404 403 200 200 200 200",
    "login 404 404 404 200 200 200 200",
)

TABLE = {
    ("polls.detail", "GET"): SEE,
    ("polls.results", "GET"): SEE,
    ("polls.vote", "GET"): SEE,
    ("polls.vote", "POST"): (
        "login 403 403 303 303 303 303 403",
        "login 404 404 303 303 303 303 403",
        "login 404 404 404 303 303 303 403",
    ),
    # Without htmx the live address only leads to the results (and reads nothing).
    ("polls.live_results", "GET"): ("303 303 303 303 303 303 303 303",) * 3,
    ("polls.new_in_group", "GET"): NEW_IN_GROUP,
    ("polls.new_in_group", "POST"): tuple(line.replace("200", "303") for line in NEW_IN_GROUP),
    ("polls.new_on_event", "GET"): ON_EVENT_PAGE,
    ("polls.new_on_event", "POST"): tuple(line.replace("200", "303") for line in ON_EVENT_PAGE),
    ("polls.manage.votes", "GET"): MANAGE_PAGE,
    ("polls.manage.close", "GET"): MANAGE_PAGE,
    ("polls.manage.close", "POST"): MANAGE_ACTION,
    ("polls.manage.delete", "GET"): MANAGE_PAGE,
    ("polls.manage.delete", "POST"): MANAGE_ACTION,
    ("polls.manage.add", "POST"): MANAGE_ACTION,
    ("polls.manage.remove", "POST"): MANAGE_ACTION,
    ("polls.manage.schedule", "GET"): (
        MANAGE_PAGE[0],
        "login 404 404 403 403 404 404 404",
        "login 404 404 404 404 404 404 404",
    ),
    ("polls.manage.schedule", "POST"): (
        MANAGE_ACTION[0],
        "login 404 404 403 403 404 404 404",
        "login 404 404 404 404 404 404 404",
    ),
    # Only a date poll of the group alone makes a new event: see GROUP_DATE_POLL.
    ("polls.manage.new_event", "GET"): NOT_A_GROUP_DATE_POLL,
    ("polls.manage.new_event", "POST"): NOT_A_GROUP_DATE_POLL,
}

# A date poll of a public group, on no event: its slot can make a new event, not set an
# event's date; the group's organisers', not the co-host's of the world's event.
GROUP_DATE_POLL = {
    ("polls.manage.new_event", "GET"): ("login 403 403 403 403 200 200 200",),
    ("polls.manage.new_event", "POST"): ("login 403 403 403 403 303 303 303",),
    ("polls.manage.schedule", "GET"): ("login 403 403 403 403 404 404 404",),
    ("polls.manage.schedule", "POST"): ("login 403 403 403 403 404 404 404",),
}


class World(NamedTuple):
    slug: str
    event_id: int
    poll_id: int
    option_ids: list


def build_world(kind):
    """An owner's group, an event of it, and a poll with three options: a date poll on the
    event (public), a poll of the group (private), or one on the event while it is a
    draft (draft)."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = EventStatus.DRAFT if kind == "draft" else EventStatus.PUBLISHED
    event = make_event(group, title="Lantern night", status=status)
    if kind == "public":
        poll = make_poll(group, event=event, slots=slots_from_now(3))
    elif kind == "group_date":
        poll = make_poll(group, slots=slots_from_now(3))
    else:
        labels = ("Park", "Pub", "Beach")
        poll = make_poll(group, labels=labels, event=event if kind == "draft" else None)
    return owner, group, World(group.slug, event.id, poll.id, option_ids(poll))


def polls(w, rest=""):
    return f"/polls/{w.poll_id}{rest}"


def schedule(w):
    return polls(w, f"/manage/slots/{w.option_ids[0]}/schedule")


def new_event(w):
    return polls(w, f"/manage/slots/{w.option_ids[0]}/new-event")


NEW_OPTION = {
    "new_option-label": "Lake",
    "new_option-starts_at": local(days=20, hour=18),
    "new_option-ends_at": local(days=20, hour=20),
}


REQUESTS = {
    ("polls.detail", "GET"): lambda w: (polls(w), None),
    ("polls.results", "GET"): lambda w: (polls(w, "/results"), None),
    ("polls.vote", "GET"): lambda w: (polls(w, "/vote"), None),
    ("polls.vote", "POST"): lambda w: (polls(w, "/vote"), {"option": w.option_ids[0]}),
    ("polls.live_results", "GET"): lambda w: (polls(w, "/results/live?v=1"), None),
    ("polls.new_in_group", "GET"): lambda w: (f"/groups/{w.slug}/polls/new", None),
    ("polls.new_in_group", "POST"): lambda w: (f"/groups/{w.slug}/polls/new", poll_data()),
    ("polls.new_on_event", "GET"): lambda w: (f"/events/{w.event_id}/polls/new", None),
    ("polls.new_on_event", "POST"): lambda w: (f"/events/{w.event_id}/polls/new", poll_data()),
    ("polls.manage.votes", "GET"): lambda w: (polls(w, "/manage/votes"), None),
    ("polls.manage.close", "GET"): lambda w: (polls(w, "/manage/close"), None),
    ("polls.manage.close", "POST"): lambda w: (polls(w, "/manage/close"), {}),
    ("polls.manage.delete", "GET"): lambda w: (polls(w, "/manage/delete"), None),
    ("polls.manage.delete", "POST"): lambda w: (polls(w, "/manage/delete"), {}),
    # A label for a poll, a slot for a date poll: each takes what it needs.
    ("polls.manage.add", "POST"): lambda w: (polls(w, "/manage/options"), NEW_OPTION),
    ("polls.manage.remove", "POST"): lambda w: (
        polls(w, f"/manage/options/{w.option_ids[2]}/remove"),
        {},
    ),
    ("polls.manage.schedule", "GET"): lambda w: (schedule(w), None),
    ("polls.manage.schedule", "POST"): lambda w: (schedule(w), {}),
    ("polls.manage.new_event", "GET"): lambda w: (new_event(w), None),
    ("polls.manage.new_event", "POST"): lambda w: (new_event(w), {"title": "Lantern walk"}),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "polls.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(GROUP_DATE_POLL, ("group_date",), "polls.")),
)
def test_who_may_make_a_group_date_polls_slot_an_event(
    app, client, shared_world, endpoint, method, kind, role, expected
):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


# The live poll as htmx sends it, with a version that is behind: the results for those who
# may see the poll. (A poll whose version is current answers 204 to anyone, unread: it
# tells nothing but "what you have is current", and the version came from the page.)
LIVE_POLL = dict(zip(WORLDS, SEE, strict=True))


@pytest.mark.parametrize(
    ("role", "kind"),
    # A world's cells one after another, so that they share it.
    [pytest.param(role, kind, id=f"{role}-{kind}") for kind in WORLDS for role in ROLES],
)
def test_who_gets_the_live_results(app, client, shared_world, kind, role):
    world = enter_shared(app, client, shared_world, build_world, kind, role)
    expected = LIVE_POLL[kind].split()[ROLES.index(role)]
    response = client.get(polls(world, "/results/live?v=1"), headers={"HX-Request": "true"})
    assert response.status_code == int(expected)


def test_one_groups_organiser_cannot_manage_another_groups_poll(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        email = actor_for("organiser", None, mine).email
        _, _, theirs = build_world("public")
    auth.login(email)
    for endpoint, method in TABLE:
        if endpoint.startswith("polls.manage.") or endpoint == "polls.new_in_group":
            url, data = REQUESTS[endpoint, method](theirs)
            response = client.get(url) if method == "GET" else client.submit(url, data)
            assert response.status_code == 403, (endpoint, method)
