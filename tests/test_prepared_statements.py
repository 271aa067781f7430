"""Lookups by key, and writes of one row by its key, run as prepared statements on
PostgreSQL, and nothing else does: a list planned once for every value would keep a plan
that suits only some (config.py). A list whose one plan suits every value
(tests/events/test_indexes.py) keeps it from its first run."""

import re

import psycopg
import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.rsvp.support import event_with_members, statements_run
from webapp.accounts.models import User, UserSession
from webapp.auth.session_loader import _USER_OF_SESSION
from webapp.database.setup import prepared
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.groups.access import can_take_part

pytestmark = pytest.mark.postgres


def prepared_statements():
    return db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()


def _shape(statement):
    """A statement's text with its parameters alike, as psycopg sends it or as PostgreSQL
    keeps it prepared ($1)."""
    return re.sub(r"%\(\w+\)s|\$\d+", "?", " ".join(statement.split()))


def prepared_shapes():
    return {_shape(statement) for statement in prepared_statements()}


def test_a_marked_lookup_is_prepared_once_and_reused(app):
    with app.app_context():
        for _ in range(3):
            db.session.execute(_USER_OF_SESSION, {"token_hash": "no such session"}).all()
        sessions = [s for s in prepared_statements() if "user_sessions.token_hash = $1" in s]
        assert len(sessions) == 1
        db.session.rollback()


def test_a_statement_not_marked_is_planned_each_time(app):
    with app.app_context():
        email = make_user().email
        for _ in range(6):
            db.session.execute(sa.select(User.id).where(User.email_normalized == email)).all()
        assert not [s for s in prepared_statements() if "users.email_normalized = $1" in s]
        db.session.rollback()


def test_a_write_of_one_row_by_its_key_is_prepared(app):
    """As the ORM writes a row (and as a service updates or deletes one by its key): the
    plan is the same for every value."""
    with app.app_context():
        user = make_user()
        with statements_run(app) as writes:
            user.first_name = "Prepared"
            db.session.add(UserSession(token_hash="x" * 64, user_id=user.id, user_agent="t"))
            db.session.flush()
            db.session.execute(
                sa.update(User).where(User.id == user.id).values(last_name=User.first_name)
            )
            db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == "x" * 64))
        kept = prepared_shapes()
        by_key = [w for w in writes if not w.startswith("DELETE")]
        assert len(by_key) == 3
        assert all(_shape(write) in kept for write in by_key), writes
        # Not by its key: planned each time, as a list is.
        assert not [s for s in kept if s.startswith("DELETE FROM user_sessions")]
        db.session.rollback()


@pytest.mark.parametrize(
    "write",
    [
        lambda user: sa.update(User).where(User.email == user.email).values(first_name="A"),
        lambda user: sa.update(User).where(User.id >= user.id).values(first_name="B"),
        lambda user: (
            sa.update(User)
            .where(User.id == user.id)
            .values(
                first_name=sa.select(User.last_name).where(User.id == user.id).scalar_subquery()
            )
        ),
        lambda user: sa.insert(UserSession).from_select(
            ["token_hash", "user_id", "user_agent"],
            sa.select(sa.literal("y" * 64), User.id, sa.literal("t")).where(User.id == user.id),
        ),
    ],
    ids=["by another column", "by a range of keys", "with a query inside", "of a query's rows"],
)
def test_a_write_whose_plan_may_depend_on_its_values_is_planned_each_time(app, write):
    with app.app_context():
        user = make_user()
        with statements_run(app) as writes:
            db.session.execute(write(user))
        assert _shape(writes[0]) not in prepared_shapes()
        db.session.rollback()


def test_an_answer_runs_prepared_while_it_holds_the_events_lock(app):
    """Others answering the same event queue for its row: what runs while it is locked is
    not planned again each time (the lock, the answer read again, whether the confirmation
    is wanted, then one flush: the counters, the answer and the confirmation written)."""
    with app.app_context():
        setup = event_with_members(members=1, capacity=5)
        member = db.session.get(User, setup.user_ids[0])
        event = db.session.get(Event, setup.event_id)
        # As the view has them: the event with its group, and the member's membership.
        assert can_take_part(member, event.group)
        with statements_run(app) as statements:
            answer_event(member, event, "going")
            db.session.flush()
        locked = next(i for i, s in enumerate(statements) if "FOR UPDATE" in s)
        under_lock = statements[locked:]
        reads, flush = under_lock[:3], under_lock[3:]
        assert [s.split()[0] for s in reads] == ["SELECT", "SELECT", "SELECT"]
        assert sorted(s.split()[0] for s in flush) == ["INSERT", "INSERT", "UPDATE"]
        kept = prepared_shapes()
        assert [s for s in under_lock if _shape(s) not in kept] == []
        db.session.rollback()


def _plan_mode(connection):
    return connection.exec_driver_sql("SHOW plan_cache_mode").scalar()


def _plans_of_three_runs(connection, marker):
    """(generic, custom): the plans PostgreSQL made for three runs, with three values, of
    a one-plan lookup whose text holds marker (a constant no other statement holds)."""
    constant = f"'{marker}'"
    statement = prepared(
        sa.select(User.id, sa.literal_column(constant)).where(User.id == sa.bindparam("id")),
        one_plan=True,
    )
    for user_id in range(1, 4):
        connection.execute(statement, {"id": user_id}).all()
    plans = connection.exec_driver_sql(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
        " WHERE strpos(statement, %(constant)s) > 0",
        {"constant": constant},
    ).one()
    return tuple(plans)


def test_a_statement_with_one_plan_keeps_it_from_its_first_run(app):
    """Planned once for any values, not five times for each run's own first."""
    with app.app_context(), db.engine.connect() as connection:
        configured = _plan_mode(connection)
        assert _plans_of_three_runs(connection, "one plan") == (3, 0)
        # Only this statement: the connection's others are planned as configured.
        assert _plan_mode(connection) == configured


@pytest.mark.parametrize("autocommit", [False, True], ids=["in a transaction", "on a GET"])
def test_a_statement_with_one_plan_that_fails_leaves_plans_as_configured(app, autocommit):
    divided = sa.literal(1, sa.Integer) / sa.bindparam("divisor", type_=sa.Integer)
    statement = prepared(sa.select(divided), one_plan=True)
    with app.app_context(), db.engine.connect() as connection:
        if autocommit:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        configured = _plan_mode(connection)
        with pytest.raises(sa.exc.DataError):
            connection.execute(statement, {"divisor": 0})
        connection.rollback()
        assert _plan_mode(connection) == configured
        assert connection.execute(statement, {"divisor": 1}).scalar() == 1
        assert _plan_mode(connection) == configured


def test_a_statement_with_one_plan_can_be_streamed(app):
    """A server-side cursor declares its own cursor, which takes no prepare and no
    pipeline: streamed, the statement is planned as any other."""
    statement = prepared(
        sa.select(User.id).where(User.id <= sa.bindparam("last")).order_by(User.id),
        one_plan=True,
    )
    with app.app_context():
        ids = [make_user().id for _ in range(3)]
        with db.engine.connect() as connection:
            streamed = connection.execution_options(stream_results=True, yield_per=2)
            assert list(streamed.scalars(statement, {"last": ids[-1]})) == ids


def test_without_pipelines_a_statement_with_one_plan_is_planned_as_any_other(app, monkeypatch):
    """libpq before 14 has no pipeline mode (the pinned psycopg[binary] brings its own,
    newer): there PostgreSQL chooses the plans, and /events still answers."""
    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    with app.app_context(), db.engine.connect() as connection:
        assert _plans_of_three_runs(connection, "no pipeline") == (0, 3)
    assert app.test_client().get("/events").status_code == 200
