"""Who may do what with tasks: every tasks route x every kind of person -> status, for
an event of a public group, of a private group, a draft, and a cancelled event.

The harness is tests/support/authz.py: a new tasks route without a row fails
test_every_route_has_a_row, and a refused request (or any GET) leaves every table as it
was. Seeing tasks is seeing the event; taking and acting take an active member (a site
admin who is not one: 403); adding, editing and deleting take an organiser; a cancelled
event's tasks are read-only for everyone (403). The event's co-host manages its tasks as
its organisers do. The world's task belongs to someone else,
so done, not done and give back reach the rules for members and are refused there (422);
the assignee's own path is in test_tasks_rules.py.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.authz import actor_for, assert_shared_cell, assert_table_covers, cases
from tests.tasks.factories import make_task
from webapp.events.models import EventStatus

WORLDS = ("public", "private", "draft", "cancelled")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
SEE = (
    "200 200 200 200 200 200 200 200",
    "404 404 404 200 200 200 200 200",
    "404 404 404 404 200 200 200 200",
    "200 200 200 200 200 200 200 200",
)
READ_ONLY = "login 403 403 403 403 403 403 403"
MANAGE_PAGE = (
    "login 403 403 403 200 200 200 200",
    "login 404 404 403 200 200 200 200",
    "login 404 404 404 200 200 200 200",
    READ_ONLY,
)
MANAGE_ACTION = tuple(line.replace("200", "303") for line in MANAGE_PAGE)
TAKE = (
    "login 403 403 303 303 303 303 403",
    "login 404 404 303 303 303 303 403",
    "login 404 404 404 303 303 303 403",
    READ_ONLY,
)
NOT_MINE = tuple(line.replace("303", "422") for line in TAKE)
LOGGED_IN = ("login 200 200 200 200 200 200 200",) * 4

TABLE = {
    ("tasks.event_tasks", "GET"): SEE,
    ("tasks.detail", "GET"): SEE,
    ("tasks.mine", "GET"): LOGGED_IN,
    ("tasks.event_tasks", "POST"): MANAGE_ACTION,
    ("tasks.settings", "POST"): MANAGE_ACTION,
    ("tasks.take", "POST"): TAKE,
    ("tasks.done", "POST"): NOT_MINE,
    ("tasks.undone", "POST"): NOT_MINE,
    ("tasks.give", "POST"): NOT_MINE,
    ("tasks.manage.edit", "GET"): MANAGE_PAGE,
    ("tasks.manage.edit", "POST"): MANAGE_ACTION,
    ("tasks.manage.delete", "GET"): MANAGE_PAGE,
    ("tasks.manage.delete", "POST"): MANAGE_ACTION,
}


class World(NamedTuple):
    event_id: int
    open_task: int
    taken_task: int


def build_world(kind):
    """An owner's group with a member, an event of it (a draft, or cancelled, as kind
    says), an open task and one the member has."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = {"draft": EventStatus.DRAFT, "cancelled": EventStatus.CANCELLED}.get(
        kind, EventStatus.PUBLISHED
    )
    event = make_event(group, title="Lantern night", status=status)
    someone = make_user()
    add_member(group, someone)
    open_task = make_task(event, title="Lanterns")
    taken = make_task(event, title="Candles", assignee=someone)
    return owner, group, World(event.id, open_task.id, taken.id)


REQUESTS = {
    ("tasks.event_tasks", "GET"): lambda w: (f"/events/{w.event_id}/tasks", None),
    ("tasks.detail", "GET"): lambda w: (f"/tasks/{w.open_task}", None),
    ("tasks.mine", "GET"): lambda w: ("/tasks", None),
    ("tasks.event_tasks", "POST"): lambda w: (f"/events/{w.event_id}/tasks", {"title": "Matches"}),
    ("tasks.settings", "POST"): lambda w: (
        f"/events/{w.event_id}/tasks/settings",
        {"members_add": "y"},
    ),
    ("tasks.take", "POST"): lambda w: (f"/tasks/{w.open_task}/take", {}),
    ("tasks.done", "POST"): lambda w: (f"/tasks/{w.taken_task}/done", {}),
    ("tasks.undone", "POST"): lambda w: (f"/tasks/{w.taken_task}/undone", {}),
    ("tasks.give", "POST"): lambda w: (f"/tasks/{w.taken_task}/give-back", {}),
    ("tasks.manage.edit", "GET"): lambda w: (f"/tasks/{w.open_task}/manage/edit", None),
    ("tasks.manage.edit", "POST"): lambda w: (
        f"/tasks/{w.open_task}/manage/edit",
        {"edit-title": "Paper lanterns"},
    ),
    ("tasks.manage.delete", "GET"): lambda w: (f"/tasks/{w.open_task}/manage/delete", None),
    ("tasks.manage.delete", "POST"): lambda w: (f"/tasks/{w.open_task}/manage/delete", {}),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, ("tasks.",), TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "tasks.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )


def test_one_groups_organiser_cannot_manage_another_groups_tasks(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        email = actor_for("organiser", None, mine).email
        _, _, theirs = build_world("public")
    auth.login(email)
    for endpoint, method in TABLE:
        if (
            endpoint.startswith("tasks.manage.")
            or endpoint == "tasks.settings"
            or (endpoint, method) == ("tasks.event_tasks", "POST")
        ):
            url, data = REQUESTS[endpoint, method](theirs)
            response = client.get(url) if method == "GET" else client.submit(url, data)
            assert response.status_code == 403, (endpoint, method)


def test_unknown_and_impossible_ids_are_404(app, client, auth):
    with app.app_context():
        email = build_world("public")[0].email
    auth.login(email)
    for path in ("/tasks/999999", "/tasks/2147483648", "/tasks/0", "/tasks/-1", "/tasks/1x"):
        assert client.get(path).status_code == 404, path
        assert client.submit(path + "/take").status_code == 404, path
    assert client.get("/events/99999999999/tasks").status_code == 404
