"""The suite's own guards: a 500 fails any test unless it says it expects one, a test that
needs a missing service fails when services are required, no test can hang, and a
world the tests of a module share is kept while none of them changes it, and put back as
it was built (or built again) when one does.

Each case runs in a pytest of its own (a subprocess, on SQLite, with this suite's
conftest and settings), because what is checked is how that run ends.
"""

import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import conftest
from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support import every_table
from webapp.accounts.models import User
from webapp.database.redis_client import get_redis
from webapp.extensions import db
from webapp.groups.models import Group, Membership

ROOT = Path(__file__).resolve().parent.parent

CASES = """
import pytest

from tests.support.other_apps import app_like


@pytest.fixture
def broken(app):
    with app_like(app) as other:

        @other.get("/boom")
        def boom():
            raise RuntimeError("boom")

        yield other.test_client()


def test_unmarked_500(broken):
    assert broken.get("/boom").status_code == 500


@pytest.mark.expects_server_error
def test_marked_500(broken):
    assert broken.get("/boom").status_code == 500


def test_no_500(client):
    assert client.get("/login").status_code == 200
"""


def run_cases(tmp_path):
    """Run CASES on SQLite; {test name: (outcome, message)}."""
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "test_cases.py").write_text(textwrap.dedent(CASES))
    report = tmp_path / "report.xml"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"TEST_DATABASE_URL", "TEST_REDIS_URL"}
    }
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            f"--junitxml={report}",
            str(tmp_path / "test_cases.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outcomes = {}
    root = ET.parse(report).getroot()  # noqa: S314  (our own report)
    for case in root.iter("testcase"):
        found = [child for child in case if child.tag in {"failure", "error", "skipped"}]
        outcome = found[0].tag if found else "passed"
        outcomes[case.get("name")] = (outcome, found[0].get("message", "") if found else "")
    return outcomes


def test_a_500_fails_a_test_that_does_not_say_it_expects_one(tmp_path):
    outcomes = run_cases(tmp_path)

    assert outcomes["test_unmarked_500"][0] == "error"
    assert "server error" in outcomes["test_unmarked_500"][1]
    assert outcomes["test_marked_500"][0] == "passed"
    assert outcomes["test_no_500"][0] == "passed"


class NeedsService:
    """A collected test marked as needing service, as pytest_runtest_setup sees it."""

    def __init__(self, service):
        self.marker = getattr(pytest.mark, service).mark

    def iter_markers(self):
        return iter([self.marker])


@pytest.mark.parametrize(
    ("service", "variable"), [("postgres", "TEST_DATABASE_URL"), ("redis", "TEST_REDIS_URL")]
)
def test_a_missing_service_skips_or_fails_when_services_are_required(
    monkeypatch, service, variable
):
    monkeypatch.setitem(conftest.SERVICES, service, (False, conftest.SERVICES[service][1]))

    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", False)
    with pytest.raises(pytest.skip.Exception):
        conftest.pytest_runtest_setup(NeedsService(service))

    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", True)
    with pytest.raises(pytest.fail.Exception) as failure:
        conftest.pytest_runtest_setup(NeedsService(service))
    assert "HEARTH_REQUIRE_SERVICES=1, but this test needs" in str(failure.value)
    assert variable in str(failure.value)


def test_an_available_service_runs_the_test(monkeypatch):
    monkeypatch.setitem(conftest.SERVICES, "redis", (True, "a real Redis"))
    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", True)

    conftest.pytest_runtest_setup(NeedsService("redis"))  # neither skips nor fails


def test_every_test_has_a_time_limit(request):
    assert float(request.config.getini("timeout")) > 0


def _emails(app):
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.email)))


class _Guarded:
    """A SharedWorld driven as _clean_state drives it, with a world of one person (and a
    live version) whose builds are counted."""

    def __init__(self, app, email="kept@example.org"):
        self.app, self.email = app, email
        self.built = []
        self.shared = conftest.SharedWorld(app)

    def build(self):
        with self.app.app_context():
            self.built.append(make_user(email=self.email).id)
        with self.app.app_context():
            get_redis().hset("live:guard:1", "v", "7")
        return self.built[-1]

    def get(self):
        return self.shared.get("guard", self.build)

    def after_test(self):
        try:
            self.shared.after_test()
        finally:
            if conftest.SharedWorld.kept is not self.shared:
                conftest.empty_database(self.app)


def _member_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(Group.member_count))


def _live_version(app):
    with app.app_context():
        return get_redis().hget("live:guard:1", "v")


def test_a_shared_world_is_kept_while_no_test_changes_it(app):
    """conftest.SharedWorld as _clean_state drives it after each test: the rows (and the
    live versions they were built with) stay while they are as built; a test that never
    asked for the world has every row deleted."""
    guarded = _Guarded(app)
    try:
        assert guarded.get() == guarded.built[0]
        with app.app_context():
            get_redis().hset("live:guard:1", "v", "8")  # a read that moves a version on
        guarded.after_test()
        assert _emails(app) == ["kept@example.org"]
        assert _live_version(app) == b"7"
        assert guarded.get() == guarded.built[0]  # kept, not built again

        guarded.shared.asked = False  # a test that asked for the world and did not take it
        with pytest.raises(AssertionError, match="must take its world from get"):
            guarded.after_test()
        assert _emails(app) == [] and conftest.SharedWorld.kept is None
        assert len(guarded.built) == 1
    finally:
        guarded.shared.drop()


@pytest.mark.postgres
def test_a_changed_shared_world_is_put_back_as_it_was_built(app):
    """On PostgreSQL a test's update, insert or delete is undone from the snapshot taken
    when the world was built: the same rows by the same ids, the live versions as built,
    and no build again. The world here is a group whose member count a trigger keeps:
    rows put back with the trigger firing would count its members twice."""
    guarded = _Guarded(app)
    try:
        guarded.get()

        def a_group_of_two():
            with app.app_context():
                group = make_group(db.session.get(User, guarded.built[0]))
                add_member(group, make_user(email="second@example.org"))
                db.session.commit()

        guarded.shared.extend(a_group_of_two)
        as_built = every_table.rows(app)
        assert _member_count(app) == 2

        def update():
            db.session.execute(sa.update(User).values(first_name="Changed"))

        def delete():
            db.session.execute(sa.delete(Membership).where(Membership.user_id != guarded.built[0]))

        def insert():
            make_user(email="written@example.org")

        for change in (update, delete, insert):
            with app.app_context():
                change()
                db.session.commit()
                get_redis().hset("live:guard:1", "v", "9")
            assert every_table.rows(app) != as_built, change.__name__
            guarded.after_test()
            assert conftest.SharedWorld.kept is guarded.shared, change.__name__
            assert every_table.rows(app) == as_built, change.__name__
            assert _member_count(app) == 2, change.__name__
            assert _live_version(app) == b"7"
            assert guarded.get() == guarded.built[0]
        assert len(guarded.built) == 1
    finally:
        guarded.shared.drop()


def test_a_changed_shared_world_that_cannot_be_put_back_is_built_again(app):
    """A world whose stored files changed (or any world on SQLite, where no snapshot is
    taken) has every row deleted, and the next test to ask builds it again."""
    guarded = _Guarded(app)
    stored = Path(app.config["UPLOAD_DIR"]) / "guard.txt"
    try:
        guarded.get()
        stored.write_text("a file the test stored")
        with app.app_context():
            db.session.execute(sa.update(User).values(first_name="Changed"))
            db.session.commit()
        guarded.after_test()
        assert _emails(app) == [] and conftest.SharedWorld.kept is None

        assert guarded.get() == guarded.built[1]
        assert _emails(app) == ["kept@example.org"]
    finally:
        stored.unlink(missing_ok=True)
        guarded.shared.drop()


def test_emptying_the_database_leaves_every_table_empty(app):
    """After a test every table of the schema is empty, those only the migrations'
    triggers write (the weeks' counts of events) included: the tables are emptied with
    triggers off on PostgreSQL, and such a table's rows were once left behind for the
    next test."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner, name="Guard club")
        add_member(group, make_user(email="member@example.org"))
        make_event(group, title="Counted in its week")
        tables = [
            name for name in sa.inspect(db.engine).get_table_names() if name != "alembic_version"
        ]
        if db.engine.dialect.name == "postgresql":
            assert "event_week_counts" in tables
    conftest.empty_database(app)
    with app.app_context():
        holding = [
            name
            for name in tables
            # Names from the database's own catalogue.
            if db.session.execute(sa.text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()  # noqa: S608
        ]
    assert holding == []


@pytest.mark.postgres
def test_ids_of_different_kinds_never_coincide(app):
    """Each table's ids come from a range of their own (conftest._ids_apart): the first
    user, group, event and membership of a fresh database share no id, and none is 1, so
    a view handed one kind's id for another's finds nothing instead of a row by chance."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner, name="Guard club")
        membership = add_member(group, make_user(email="member@example.org"))
        event = make_event(group, title="Apart")
        ids = {
            "user": owner.id,
            "group": group.id,
            "membership": membership.id,
            "event": event.id,
        }
    ranges = {kind: value // conftest.IDS_APART for kind, value in ids.items()}
    assert len(set(ranges.values())) == len(ranges), ranges
    assert min(ranges.values()) >= 1, ids
