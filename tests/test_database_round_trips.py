"""A page costs its queries and nothing beside them: no ping, BEGIN or ROLLBACK on reads;
a connection the database dropped costs one redirect, not a 500; searches use their index."""

import hashlib
import os

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.groups.factories import make_group
from tests.support.engine_events import listening
from webapp import create_app
from webapp.config import config_for
from webapp.extensions import db
from webapp.groups.queries import visible_groups


@pytest.fixture()
def isolation_levels(app):
    """The isolation level each statement of the app ran under, in order."""
    levels = []

    def record(conn, cursor, statement, parameters, context, executemany):
        levels.append(conn.get_execution_options().get("isolation_level"))

    with app.app_context():
        engine = db.engine
    with listening(engine, "before_cursor_execute", record):
        yield levels


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_pages_read_without_opening_a_transaction(app, client, auth, isolation_levels, logged_in):
    with app.app_context():
        owner = make_user()
        slug = make_group(owner, description="Tea.").slug
    if logged_in:
        auth.login(owner.email)
    isolation_levels.clear()
    for page in ["/", "/groups", "/groups?q=tea", f"/groups/{slug}"]:
        assert client.get(page).status_code == 200
    assert isolation_levels
    assert set(isolation_levels) == {"AUTOCOMMIT"}


def test_a_form_post_still_writes_in_one_transaction(app, client, auth, isolation_levels):
    with app.app_context():
        owner = make_user()
    auth.login(owner.email)
    isolation_levels.clear()
    response = client.submit(
        "/groups/new",
        {
            "name": "Tea club",
            "slug": "",
            "description": "*Tea*",
            "visibility": "public",
            "join_policy": "open",
        },
    )
    assert response.status_code == 303
    assert "AUTOCOMMIT" not in isolation_levels[-3:]
    html = client.get("/groups/tea-club").get_data(as_text=True)
    assert "<em>Tea</em>" in html


def test_production_does_not_ping_before_each_request():
    options = config_for("production").SQLALCHEMY_ENGINE_OPTIONS
    assert options["pool_pre_ping"] is False
    assert 0 < options["pool_recycle"] <= 3600


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("/groups", "/groups?q=tea"),
        # /events runs its page with one plan, set around it in one round trip.
        ("/events", "/events?when=past"),
    ],
)
def test_a_dropped_connection_costs_a_redirect_to_the_same_page(app, first, then):
    marker = f"hearth-drop-{os.getpid()}"
    dropping = create_app(
        {
            "HEARTH_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL,
            "REDIS_URL": TEST_REDIS_URL,
            "RATELIMIT_STORAGE_URI": TEST_REDIS_URL or "memory://",
            "SQLALCHEMY_ENGINE_OPTIONS": {
                **config_for("production").SQLALCHEMY_ENGINE_OPTIONS,
                "connect_args": {"application_name": marker},
            },
        }
    )
    client = dropping.test_client()
    assert client.get(first).status_code == 200
    with app.app_context(), db.engine.begin() as connection:
        dropped = connection.scalar(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :marker"
            ),
            {"marker": marker},
        )
    assert dropped >= 1
    response = client.get(then)
    assert response.status_code == 307
    assert response.location == then
    assert client.get(response.location).status_code == 200
    with dropping.app_context():
        db.engine.dispose()


TRIGRAM_SEARCHES = {"ix_groups_name_trgm", "ix_groups_description_trgm"}


@pytest.mark.postgres
def test_group_search_uses_the_trigram_indexes(app):
    with app.app_context():
        db.session.execute(
            sa.text(
                "INSERT INTO groups (name, slug, description, description_html, visibility,"
                " join_policy, created_at) SELECT 'Group ' || md5(n::text), 'trgm-' || n,"
                " 'About ' || md5((-n)::text), '', 'public', 'open', now()"
                " FROM generate_series(1, 20000) AS n"
            )
        )
        db.session.execute(sa.text("ANALYZE groups"))
        # Part of one row's name: selective, as a search for a word is on real data.
        needle = hashlib.md5(b"29").hexdigest()[3:11]  # noqa: S324  (test data, not security)
        listing, values = visible_groups(_anonymous(), needle)
        statement = listing.statement.order_by(None).params(values)
        # The list's b-tree (visibility) can also narrow this query, and on 20,000 rows the
        # planner may prefer it; the question is whether the trigram indexes fit at all.
        plan = explain(statement, without_indexes=["ix_groups_live_by_name"])
    assert all(name in plan for name in TRIGRAM_SEARCHES), plan


@pytest.mark.postgres
def test_member_search_uses_the_trigram_indexes(app):
    from webapp.groups.queries import member_matches

    with app.app_context():
        db.session.execute(
            sa.text(
                "INSERT INTO users (email, email_normalized, first_name, last_name,"
                " password_hash, active, is_site_admin, created_at)"
                " SELECT 'p' || n || '@example.org', 'p' || n || '@example.org', 'Pat', 'P' || n,"
                " 'x', true, false, now() FROM generate_series(1, 20000) AS n"
            )
        )
        db.session.execute(sa.text("ANALYZE users"))
        from webapp.accounts.models import User

        statement = sa.select(User.id).where(member_matches("pat p29"))
        plan = explain(statement)
    assert "ix_users_full_name_trgm" in plan and "ix_users_email_trgm" in plan, plan


def explain(statement, without_indexes=()):
    """The plan of statement as the app sends it (bound parameters), then roll back.

    Sequential scans are off, and without_indexes are dropped inside the transaction (and
    restored by the rollback): on a few thousand rows another path may be cheaper, and the
    question here is whether the index matches the query's expressions at all.
    """
    connection = db.session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    for name in without_indexes:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    compiled = statement.compile(connection)
    rows = connection.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params)
    plan = "\n".join(row[0] for row in rows)
    db.session.rollback()
    return plan


def _anonymous():
    from flask_login import AnonymousUserMixin

    return AnonymousUserMixin()


@pytest.mark.postgres
def test_statements_are_planned_for_each_group_not_prepared_once(app):
    """A prepared statement lets PostgreSQL pick one generic plan for all groups, which
    walks a huge group's rows; every execution is planned for its own values instead."""
    from webapp.groups.models import Membership
    from webapp.groups.queries import managers_of

    with app.app_context():
        group = make_group(make_user())
        with db.engine.connect() as connection:
            # The pooled connection may hold lookups by key that earlier tests prepared.
            count = sa.text("SELECT count(*) FROM pg_prepared_statements")
            before = connection.execute(count).scalar()
            statement = sa.select(Membership.id).where(Membership.group_id == group.id)
            for _ in range(8):
                connection.execute(statement).all()
            assert connection.execute(count).scalar() == before
        assert managers_of(group)
