"""Suspended groups: hidden (404 to all but site admins on every page of the group, its
events and polls, and gone from every list and feed) and frozen (nobody joins, answers,
votes or changes anything, site admins included), until an admin restores them."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids
from tests.support import every_table
from tests.support.auth import session_cookie, with_session
from tests.support.authz import assert_answer
from webapp.audit.models import AuditEntry
from webapp.events.calendar.feeds import feed_token
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.groups.models import Group

ROLES = ("visitor", "outsider", "member", "cohost", "organiser", "owner", "admin")


@pytest.fixture
def suspended(app, shared_world):
    """A public group with an event (someone going, a member co-hosting it), a poll and a
    member of each role, suspended by an admin through the admin's page; built once for
    the module (conftest's shared_world), with everyone logged in."""
    return shared_world.get("suspended", lambda: _suspend(app))


def _suspend(app):
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner, name="Quiet Quilters", join_policy="open")
        people = {"owner": owner}
        for role in ("member", "cohost", "organiser"):
            people[role] = make_user(email=f"{role}@example.org")
            add_member(group, people[role], role="member" if role == "cohost" else role)
        people["outsider"] = make_user(email="outsider@example.org")
        people["admin"] = make_user(email="admin@example.org", is_site_admin=True)
        event = make_event(group, title="Quilting bee")
        make_cohost(event, people["cohost"])
        answer_event(people["member"], event, Answer.GOING)
        poll = make_poll(group, question="Which fabric?")
        db.session.commit()
        world = {
            "slug": group.slug,
            "group_id": group.id,
            "event_id": event.id,
            "poll_id": poll.id,
            "option_id": option_ids(poll)[0],
            "member_feed": feed_token(people["member"].id, 0),
        }
    # Each role's session as its login left it (the logins' writes are the world's too).
    world["sessions"] = {
        role: session_cookie(app, f"{role}@example.org") for role in ROLES if role != "visitor"
    }
    admin = with_session(app, app.test_client(), world["sessions"]["admin"])
    assert admin.submit(f"/admin/groups/{world['group_id']}/suspend").status_code == 303
    return world


@pytest.fixture
def as_role(app, suspended):
    """A new client of role's in the suspended world, as just logged in."""

    def client_of(role):
        client = app.test_client()
        if role == "visitor":
            return client
        return with_session(app, client, suspended["sessions"][role])

    return client_of


# (method, path, form) -> one status per role in ROLES: 404 hides; a site admin sees
# the pages (200) and is refused every change (403: frozen), or gets the rule's answer.
# (Pages that need a login send a visitor to log in first, which tells nothing.)
HIDDEN_PAGE = "404 404 404 404 404 404 200"
FROZEN = "login 404 404 404 404 404 403"
ROUTES = {
    ("GET", "/groups/{slug}", None): HIDDEN_PAGE,
    ("GET", "/events/{event_id}-quilting-bee", None): HIDDEN_PAGE,
    ("GET", "/events/{event_id}/calendar.ics", None): HIDDEN_PAGE,
    ("GET", "/polls/{poll_id}", None): HIDDEN_PAGE,
    ("GET", "/polls/{poll_id}/results", None): HIDDEN_PAGE,
    ("GET", "/events/{event_id}/attendees", None): FROZEN,
    ("GET", "/groups/{slug}/manage/members", None): FROZEN,
    ("GET", "/groups/{slug}/manage/history", None): FROZEN,
    ("POST", "/groups/{slug}/join", ()): "login 404 404 404 404 404 refused",
    ("POST", "/groups/{slug}/leave", ()): "login 404 404 404 404 404 refused",
    ("POST", "/events/{event_id}/rsvp", (("answer", "going"),)): FROZEN,
    ("POST", "/polls/{poll_id}/vote", (("options", "{option_id}"),)): FROZEN,
    ("POST", "/events/{event_id}/manage/cancel", ()): FROZEN,
    # The event's co-host runs it no more than its organisers do: frozen.
    ("GET", "/events/{event_id}/manage/edit", None): FROZEN,
    ("GET", "/events/{event_id}/door", None): FROZEN,
    ("GET", "/events/{event_id}/cohosts", None): FROZEN,
    ("POST", "/groups/{slug}/manage/settings", (("name", "Loud"),)): FROZEN,
    ("GET", "/groups/{slug}/events/new", None): FROZEN,
    ("GET", "/groups/{slug}/polls/new", None): FROZEN,
}


@pytest.mark.parametrize(
    ("method", "path", "form", "role", "expected"),
    [
        pytest.param(method, path, form, role, expected, id=f"{method}-{path}-{role}")
        for (method, path, form), line in ROUTES.items()
        for role, expected in zip(ROLES, line.split(), strict=True)
    ],
)
def test_a_suspended_group_is_hidden_and_frozen(
    app, suspended, as_role, method, path, form, role, expected
):
    client = as_role(role)
    data = {key: value.format(**suspended) for key, value in (form or ())}
    if expected == "refused":
        # A rule's refusal, flashed on the way back to the group: nothing changes.
        before = every_table.rows(app)
        response = client.submit(path.format(**suspended), data)
        assert response.status_code == 303
        assert every_table.rows(app) == before
        return
    assert_answer(app, client, method, path.format(**suspended), data, expected)


LISTS = [("/groups", "Quiet Quilters"), ("/events", "Quilting bee"), ("/", "Quilting bee")]


@pytest.mark.parametrize("role", ["visitor", "member", "admin"])
def test_a_suspended_group_is_gone_from_every_list_until_restored(app, suspended, as_role, role):
    client = as_role(role)
    client.get("/")  # the welcome flash
    for path, name in LISTS:
        assert name not in client.get(path).get_data(as_text=True), path
    home = client.get("/").get_data(as_text=True)
    assert "Quiet Quilters" not in home and "Which fabric?" not in home
    feed = app.test_client().get(f"/calendar/{suspended['member_feed']}.ics")
    assert feed.status_code == 200 and "Quilting bee" not in feed.get_data(as_text=True)

    admin = as_role("admin")
    assert admin.submit(f"/admin/groups/{suspended['group_id']}/restore").status_code == 303

    assert "Quiet Quilters" in client.get("/groups").get_data(as_text=True)
    assert "Quilting bee" in client.get("/events").get_data(as_text=True)
    assert "Quilting bee" in app.test_client().get(
        f"/calendar/{suspended['member_feed']}.ics"
    ).get_data(as_text=True)


def test_suspending_and_restoring_are_recorded_and_asked_twice_say_so(app, suspended, as_role):
    admin = as_role("admin")

    again = admin.submit(f"/admin/groups/{suspended['group_id']}/suspend")
    restored = admin.submit(f"/admin/groups/{suspended['group_id']}/restore")

    assert again.status_code == 422
    assert "is already suspended" in again.get_data(as_text=True)
    assert restored.status_code == 303
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-2:] == ["group_suspended", "group_restored"]
        assert db.session.get(Group, suspended["group_id"]).suspended_at is None


def test_a_site_admin_on_a_suspended_groups_page_is_told_so(app, suspended, as_role):
    page = as_role("admin").get(f"/groups/{suspended['slug']}").get_data(as_text=True)

    assert "This group is suspended" in page
    assert "This group is suspended" not in as_role("admin").get("/groups").get_data(as_text=True)


def test_the_admin_groups_list_shows_suspended_groups_and_searches(app, suspended, as_role):
    admin = as_role("admin")

    found = admin.fragment("/admin/groups?q=QUILT").get_data(as_text=True)
    missing = admin.fragment("/admin/groups?q=knit").get_data(as_text=True)

    assert "Quiet Quilters" in found and "Suspended" in found and "Restore Quiet" in found
    assert "No group matches “knit”" in missing


def test_a_deleted_group_cannot_be_suspended(app, suspended, as_role):
    with app.app_context():
        db.session.get(Group, suspended["group_id"]).deleted_at = sa.func.now()
        db.session.commit()
    admin = as_role("admin")

    assert admin.get(f"/admin/groups/{suspended['group_id']}/restore").status_code == 404
