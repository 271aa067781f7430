"""Pages cost the same number of queries for a small group as for a big one (no N+1)."""

import contextlib

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.engine_events import listening
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.services import record


@contextlib.contextmanager
def counted_queries(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    with listening(engine, "before_cursor_execute", count):
        yield statements


def group_with_members(app, how_many):
    """A group with how_many members, an organiser, and a line of history for each."""
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        people = [make_user() for _ in range(how_many)]
        for person in people:
            add_member(group, person)
        add_member(group, make_user(), role="organiser")
        group = db.session.merge(group)
        for person in people:
            record(group, db.session.merge(owner), "approved", subject=db.session.merge(person))
        db.session.commit()
        return group.slug, owner.email


PAGES = [
    "/",
    "/groups",
    "/groups/{slug}",
    "/groups/{slug}/manage/members",
    "/groups/{slug}/manage/members?q=person",
    "/groups/{slug}/manage/history",
    "/groups/{slug}/manage/settings",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_costs_the_same_queries_for_3_or_30_members(app, auth, client, page):
    costs = []
    for how_many in (3, 30):
        slug, owner_email = group_with_members(app, how_many)
        auth.login(owner_email)
        with counted_queries(app) as statements:
            response = client.get(page.format(slug=slug))
        assert response.status_code == 200
        costs.append(len(statements))
        auth.logout()
    assert costs[0] == costs[1], f"{page}: {costs[0]} queries with 3 members, {costs[1]} with 30"


def add_groups(app, owner_email, how_many):
    """how_many more public groups owned by owner, each with a Markdown description and a
    member; the owner is in every one (their home page lists them)."""
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.email == owner_email))
        for number in range(how_many):
            group = make_group(owner, description=f"**Walks** and talks, number {number}.")
            add_member(group, make_user())


LIST_PAGES = [
    "/",
    "/groups",
    "/groups?page=2&per_page=2",
    "/groups?q=walks",
    "/groups?scope=mine&page=2&per_page=2",
]


@pytest.mark.parametrize("page", LIST_PAGES)
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_a_list_costs_the_same_queries_for_3_or_30_groups(app, auth, client, page, logged_in):
    with app.app_context():
        owner_email = make_user().email
    if logged_in:
        auth.login(owner_email)
    costs = []
    for how_many in (3, 27):
        add_groups(app, owner_email, how_many)
        with counted_queries(app) as statements:
            response = client.get(page)
        assert response.status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1], f"{page}: {costs[0]} queries for 3 groups, {costs[1]} for 30"


@pytest.mark.parametrize("page", ["/groups/{slug}/manage/members?page=2&per_page=2"])
def test_a_later_page_of_members_costs_what_the_first_does(app, auth, client, page):
    slug, owner_email = group_with_members(app, 30)
    auth.login(owner_email)
    costs = []
    for url in (f"/groups/{slug}/manage/members", page.format(slug=slug)):
        with counted_queries(app) as statements:
            assert client.get(url).status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]


@pytest.mark.parametrize("role", ["owner", "member", None])
def test_finding_a_group_brings_the_viewers_membership_along(app, role):
    """find_group reads the viewer's membership in the same query: asking for it after
    (as every page of a group does) sends nothing more, and gets the right answer."""
    from flask_login import login_user

    from webapp.groups.access import find_group, membership_of

    with app.app_context():
        owner, viewer = make_user(), make_user()
        group = make_group(owner)
        if role == "member":
            add_member(group, viewer)
        person = owner if role == "owner" else viewer
        with app.test_request_context(f"/groups/{group.slug}"):
            login_user(db.session.merge(person))
            found = find_group(group.slug)
            with counted_queries(app) as statements:
                membership = membership_of(person, found)
            assert statements == []
            assert (membership.role if membership else None) == role
