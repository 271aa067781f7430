"""The authorization harness every feature's table uses: role x route -> answer, and no
trace of a refused request anywhere in the database.

A feature's test module gives a TABLE of (endpoint, method) -> one line of answers per
kind of world (public and private group, say), in the order of ROLES, and a REQUESTS map
of (endpoint, method) -> world -> (url, form data). "login" means the visitor is sent to
log in. `assert_table_covers` fails when a route of the feature has no row, so a new
route cannot skip the table. `assert_cell` checks one cell: the module's build_world(kind)
makes the world and returns (owner, group, the values REQUESTS builds its urls from).

The co-host (cohost) is an active member of the group who co-hosts the world's event: the
one the world names as cohost_event_id, else as event_id or event (the event its routes
act on), else the group's first event, else one made for them in a world of a group
alone (cohosted_event).

`assert_shared_cell` checks one cell in a world of kind that the module's cells share
(conftest's shared_world): one world with someone in every role, each logged in once.
The cells of a world run one after another; a cell that changes the world (an action
allowed) has it built afresh for the next. A table whose answers depend on who else is
in the world (an owner may delete their account only when alone in their group) keeps
assert_cell, a world per cell.
"""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.groups.factories import add_member
from tests.support import every_table
from tests.support.auth import session_cookie, with_session
from webapp.events.models import Event
from webapp.extensions import db

ROLES = ("visitor", "outsider", "pending", "member", "cohost", "organiser", "owner", "admin")


def cases(table, worlds, prefix):
    """pytest params (endpoint, method, world, role, expected) for every cell of table,
    world by world, so that the cells of one kind of world run one after another."""
    for index, world in enumerate(worlds):
        for (endpoint, method), lines in table.items():
            assert len(lines) == len(worlds), f"{endpoint} {method}: a line per world"
            for role, expected in zip(ROLES, lines[index].split(), strict=True):
                yield pytest.param(
                    endpoint,
                    method,
                    world,
                    role,
                    expected,
                    id=f"{world}-{endpoint.removeprefix(prefix)}-{method}-{role}",
                )


def cohosted_event(group, world=None):
    """The event the co-host of a world co-hosts (see the module's docstring)."""
    for name in ("cohost_event_id", "event_id", "event"):
        named = world.get(name) if isinstance(world, dict) else getattr(world, name, None)
        if isinstance(named, int):
            return db.session.get(Event, named)
    first = db.session.scalar(
        sa.select(Event).where(Event.group_id == group.id).order_by(Event.id).limit(1)
    )
    return first or make_event(group, title="Co-hosted evening")


def actor_for(role, owner, group, world=None):
    """The user who plays role (None for an anonymous visitor); world: the values the
    world's requests are built from, which name the event a co-host co-hosts."""
    if role == "visitor":
        return None
    if role == "owner":
        return owner
    user = make_user(is_site_admin=role == "admin")
    if role in ("pending", "member", "cohost", "organiser"):
        add_member(
            group,
            user,
            role="organiser" if role == "organiser" else "member",
            status="pending" if role == "pending" else "active",
        )
    if role == "cohost":
        make_cohost(cohosted_event(group, world), user)
    return user


def enter_as(app, auth, build_world, kind, role):
    """Build a world of kind, log in as whoever plays role there; the world's values."""
    with app.app_context():
        owner, group, world = build_world(kind)
        actor = actor_for(role, owner, group, world)
        email = actor.email if actor else None
    if email:
        assert auth.login(email).status_code == 303
    return world


def assert_cell(app, client, auth, build_world, requests, endpoint, method, kind, role, expected):
    """One cell of a table: role sends endpoint's request in a world of kind, and gets
    expected (with assert_answer's guarantee that a refusal changed nothing)."""
    world = enter_as(app, auth, build_world, kind, role)
    url, data = requests[endpoint, method](world)
    return assert_answer(app, client, method, url, data, expected)


class Everyone:
    """A world of one kind with someone in every role, and their logins as they are made."""

    def __init__(self, app, build_world, kind):
        with app.app_context():
            owner, group, self.values = build_world(kind)
            actors = {role: actor_for(role, owner, group, self.values) for role in ROLES}
            self.emails = {role: actor.email for role, actor in actors.items() if actor}
        self.cookies = {}

    def log_in(self, app, role):
        """A session cookie of role's, logged in as a person does (the login writes)."""
        return session_cookie(app, self.emails[role])


def enter_shared(app, client, shared_world, build_world, kind, role):
    """The module's shared world of kind, with client logged in as whoever plays role."""
    everyone = shared_world.get(("authz", kind), lambda: Everyone(app, build_world, kind))
    if role in everyone.emails:
        if role not in everyone.cookies:
            everyone.cookies[role] = shared_world.extend(lambda: everyone.log_in(app, role))
        with_session(app, client, everyone.cookies[role])
    return everyone.values


def assert_shared_cell(
    app, client, shared_world, build_world, requests, endpoint, method, kind, role, expected
):
    """assert_cell, in the module's shared world of kind (conftest's shared_world)."""
    world = enter_shared(app, client, shared_world, build_world, kind, role)
    url, data = requests[endpoint, method](world)
    return assert_answer(app, client, method, url, data, expected)


def assert_table_covers(app, prefix, table, requests):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(prefix)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(table), "routes without a row, or rows without a route"
    assert set(requests) == set(table)


def assert_answer(app, client, method, url, data, expected):
    """The request gets the expected answer; when that answer refuses, nothing changed."""
    before = every_table.rows(app)
    response = client.get(url) if method == "GET" else client.submit(url, data)
    if expected == "login":
        assert response.status_code in (302, 303), response.status_code
        assert response.location.startswith("/login?next=")
    else:
        assert response.status_code == int(expected), response.location
    if expected == "login" or int(expected) >= 400 or method == "GET":
        after = every_table.rows(app)
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"a refused request (or a GET) changed {changed}"
    return response
