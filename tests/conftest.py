"""Fixtures: the app on a scratch database, a client that speaks CSRF, a real SMTP listener.

TEST_DATABASE_URL and TEST_REDIS_URL point the suite at PostgreSQL and Redis (CI does);
without them it runs on a temporary SQLite file and an in-process Redis, and tests
marked `postgres` or `redis` are skipped, or fail when HEARTH_REQUIRE_SERVICES=1 (CI).
Every test fails when the app answers a 500, unless marked `expects_server_error`.
"""

import gc
import itertools
import logging
import os
import re
import secrets

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from rq import SimpleWorker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.support import every_table
from tests.support.catalogues import compile_stale_catalogues
from tests.support.crawl import World
from tests.support.fuzz import FuzzWorld
from tests.support.outbox_clock import pass_time
from tests.support.pseudo_locale import speaking_pseudo_languages
from tests.support.smtp import SMTPListener
from tests.support.snapshots import LiveVersions, Snapshot, forget_live_topics
from webapp import create_app
from webapp.config import config_for
from webapp.database import column_stats
from webapp.database.redis_client import get_redis
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.operations.bench import STACK_PREFIX

# Under pytest-xdist (make test runs several processes) each worker has a database and a
# Redis database of its own, derived from the ones given: the suite empties both after
# each test, and the workers' tests must not see each other's rows or live versions.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _for_this_worker(database_url, redis_url):
    if not XDIST_WORKER:
        return database_url, redis_url
    number = int(XDIST_WORKER.removeprefix("gw"))
    if database_url and database_url.startswith("postgresql"):
        database_url = f"{database_url}_{XDIST_WORKER}"
    if redis_url:
        base, _, index = redis_url.rpartition("/")
        redis_url = f"{base}/{(int(index or 0) + number) % 16}"
    return database_url, redis_url


GIVEN_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_DATABASE_URL, TEST_REDIS_URL = _for_this_worker(
    GIVEN_DATABASE_URL, os.environ.get("TEST_REDIS_URL")
)
BASE_URL = "http://localhost"
CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
REQUIRE_SERVICES = os.environ.get("HEARTH_REQUIRE_SERVICES") == "1"
SERVICES = {
    "postgres": (
        TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"),
        "PostgreSQL (set TEST_DATABASE_URL=postgresql+psycopg://...)",
    ),
    "redis": (bool(TEST_REDIS_URL), "a real Redis (set TEST_REDIS_URL=redis://...)"),
}
BROWSER_TIMEOUT_SECONDS = 180


def pytest_configure(config):
    # One process compiles (xdist's workers start after it): a run on its own, without
    # make, reads the same catalogues `make test` would have built.
    if not XDIST_WORKER:
        compile_stale_catalogues()


# The cycle collector's thresholds in a test process (pytest_sessionstart).
GC_THRESHOLDS = (50_000, 20, 20)


def pytest_sessionstart(session):
    # A test process makes millions of short-lived objects (requests, rows, Hypothesis's
    # examples): at Python's default thresholds the cycle collector ran every few hundred
    # of them, and each full collection walked everything the process had imported. What
    # exists now (the modules, the app's and the tests') is left out of every walk, and
    # collections come less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS))
    items[:] = longest_modules_first(config, items)


def longest_modules_first(config, items):
    """items, module by module, those that may take longest first: by the longest timeout
    a test of theirs is given (a browser test's, say, or a fuzzer's), then by their count of
    tests. The test processes take whole modules in this order (the Makefile's
    --no-loadscope-reorder), so that no module of minutes starts when the rest are nearly
    done and keeps one process at work while the others wait."""
    default = config.getini("timeout")
    modules = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def timeout(item):
        marker = item.get_closest_marker("timeout")
        given = (
            (marker.args[0] if marker.args else marker.kwargs.get("timeout")) if marker else None
        )
        return float(given if given is not None else default)

    def weight(module):
        return (-max(map(timeout, module)), -len(module))

    return [item for module in sorted(modules.values(), key=weight) for item in module]


def pytest_runtest_setup(item):
    """A test marked with a service it lacks: skipped, or failed when services are required."""
    for marker in item.iter_markers():
        if marker.name not in SERVICES:
            continue
        available, needs = SERVICES[marker.name]
        if available:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"HEARTH_REQUIRE_SERVICES=1, but this test needs {needs}", pytrace=False)
        pytest.skip(f"needs {needs}")


def assert_hearth_named_it(response):
    """Every answer the app writes names its request (X-Request-ID), errors above all:
    static/js/app.js swaps an error into a page only when it carries that name, since one
    without it came from a proxy in between. Static files are served before the app, and
    the bench's stack-only page is by design none of Hearth's work."""
    request = response.request
    if request.path.startswith(("/static/", f"{STACK_PREFIX}/")):
        return
    assert response.headers.get("X-Request-ID"), (
        f"{request.method} {request.path} answered {response.status_code} without X-Request-ID"
    )


class HearthClient(FlaskClient):
    """A test client that sends a valid CSRF token, as the browser's htmx header does."""

    _csrf_read_with = _csrf_token = None  # the session cookie the token was read with

    def csrf_token(self):
        """The token a page of this session carries, made as the page's Flask-WTF makes it:
        the session's secret (given it now if it has none, as the first form would) signed
        with the app's key. Reading it from a rendered page instead cost a page per login."""
        app = self.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with self.session_transaction() as session:
            if not isinstance(session.get(field), str):
                session[field] = secrets.token_hex(20)
            secret = session[field]
        key = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(key, salt="wtf-csrf-token").dumps(secret)

    def session_csrf_token(self):
        """The token of the session this client holds, as a page open in a browser holds
        it: made once, and again whenever the session cookie has changed since (a login
        or logout, a message to show, a new session)."""
        if self._csrf_read_with is None or self._session_cookie() != self._csrf_read_with:
            self._csrf_token = self.csrf_token()
            self._csrf_read_with = self._session_cookie()
        return self._csrf_token

    def _session_cookie(self):
        cookie = self.get_cookie(self.application.config["SESSION_COOKIE_NAME"])
        return cookie.value if cookie else None

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        assert_hearth_named_it(response)
        return response

    def submit(self, url, data=None, htmx=False, csrf=True, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if csrf:
            headers["X-CSRFToken"] = self.session_csrf_token()
        if htmx:
            headers["HX-Request"] = "true"
        return self.post(url, data=data or {}, headers=headers, **kwargs)

    def fragment(self, url, **kwargs):
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)


@pytest.fixture(scope="session")
def smtp_listener():
    listener = SMTPListener()
    listener.start()
    yield listener
    listener.stop()


def engine_options(database_url):
    """Production's engine options (no ping before each checkout: a round trip per request),
    and on PostgreSQL commits that need not wait for the disk."""
    options = dict(config_for("production").SQLALCHEMY_ENGINE_OPTIONS)
    if database_url.startswith("postgresql"):
        # A scratch database need not wait for its commits to reach the disk.
        options["connect_args"] = {"options": "-c synchronous_commit=off"}
    return options


@pytest.fixture(scope="session")
def worker_database():
    """This xdist worker's own PostgreSQL database, made new beside the one given and
    dropped at the end; nothing without xdist or PostgreSQL."""
    if TEST_DATABASE_URL == GIVEN_DATABASE_URL or not TEST_DATABASE_URL:
        yield
        return
    name = TEST_DATABASE_URL.rsplit("/", 1)[1]
    server = sa.create_engine(GIVEN_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory, smtp_listener, worker_database):
    database_url = TEST_DATABASE_URL or "sqlite:///" + str(
        tmp_path_factory.mktemp("db") / "hearth-test.db"
    )
    app = create_app(
        {
            "HEARTH_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": TEST_REDIS_URL,
            "RATELIMIT_STORAGE_URI": TEST_REDIS_URL or "memory://",
            # Jobs always go through a queue here; tests run a real RQ worker to deliver them.
            "JOBS_ASYNC": True,
            "QUEUE_NAME": f"hearth-test-{secrets.token_hex(4)}",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_listener.port,
            "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "BASE_URL": BASE_URL,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        }
    )
    app.test_client_class = HearthClient
    with app.app_context():
        from flask_migrate import upgrade

        # The schema comes from the migrations, so they are tested on every run.
        upgrade()
        ids_start = _ids_apart() if db.engine.dialect.name == "postgresql" else {}
    yield app
    with app.app_context():
        get_queue().empty()
        moved_back = _sequences_moved_back(ids_start)
        db.engine.dispose()
    # After the last test, so that one moving a sequence back is named whichever tests
    # shared its process (the ranges' own guard only sees it when it runs later).
    assert not moved_back, f"a test moved these sequences back into another's ids: {moved_back}"


# How far apart the tables' ids start (each sequence of the schema its own range).
IDS_APART = 10_000_000


def _ids_apart():
    """Each table's ids from a range of its own, so that no user shares an id with a group,
    an event or anything else, and no id is 1: a test cannot pass because an id of one
    kind happened to name a row of another (a view handed a group's id for an event's) or
    because it ran first in its process (a world reaching for id 1). Gives each sequence's
    first id."""
    starts = {}
    for index, (sequence, next_id) in enumerate(_sequences(), start=1):
        # Never back: a database given again (without xdist) keeps its sequences.
        starts[sequence] = max(index * IDS_APART + 1, next_id)
        db.session.execute(
            sa.text("SELECT setval(:sequence, :start, false)"),
            {"sequence": sequence, "start": starts[sequence]},
        )
    db.session.commit()
    return starts


def _sequences_moved_back(starts):
    """The sequences now below the first id `_ids_apart` gave them."""
    if not starts:
        return []
    db.session.remove()
    moved_back = [
        sequence
        for sequence, next_id in _sequences()
        if sequence in starts and next_id < starts[sequence]
    ]
    # Its connection back to the pool, which the engine's dispose then closes.
    db.session.remove()
    return moved_back


def _sequences():
    """(name, the next id it hands out) of each sequence of the schema, by name: read from
    the sequence's own row, since pg_sequences has no last value for one set but not used
    since."""
    names = db.session.scalars(
        sa.text(
            "SELECT quote_ident(sequencename) FROM pg_sequences"
            " WHERE schemaname = current_schema() ORDER BY sequencename"
        )
    ).all()
    return [
        (
            name,
            db.session.scalar(
                # Names from the database's own catalogue.
                sa.text(f"SELECT last_value + is_called::int FROM {name}")  # noqa: S608
            ),
        )
        for name in names
    ]


def _is_server_error(record):
    if record.name == "hearth.errors":
        return record.levelno >= logging.ERROR
    return record.name == "hearth.request" and bool(
        re.search(r'"status": 5\d\d', record.getMessage())
    )


@pytest.fixture(autouse=True)
def no_server_errors(request, caplog):
    """Fail a test during which the app answered any request with a 5xx (or logged an
    unhandled error), unless it is marked `expects_server_error`."""
    yield
    if request.node.get_closest_marker("expects_server_error"):
        return
    records = caplog.get_records("setup") + caplog.get_records("call")
    server_errors = [record.getMessage() for record in records if _is_server_error(record)]
    assert not server_errors, f"the app answered with a server error: {server_errors}"


def empty_database(app):
    """Delete every row (and the live versions of the rows deleted)."""
    written = every_table.holding_rows(app)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            if written and not _truncated_now_and_then(connection):
                # A DELETE per table that has rows: most tests write to a few of the
                # tables, and TRUNCATE on PostgreSQL costs far more per table than
                # deleting a handful of rows.
                _without_triggers(connection)
                for table in written:
                    connection.execute(table.delete())
        forget_live_topics(get_redis())


def _without_triggers(connection):
    """On PostgreSQL as a superuser (the test server's user), this transaction's deletes
    fire no trigger: every table that holds rows is emptied, so the foreign keys' checks
    (deleting a user checked each table naming users, for every user) and the triggers'
    counts of what is deleted (a group's members, the weeks' events) are work for nothing.
    As TRUNCATE, which fires neither. The tables only triggers write (no model has them)
    are emptied here too, since no trigger will count their rows down."""
    if connection.dialect.name != "postgresql":
        return
    kept_by_triggers = _kept_by_triggers(connection)
    if kept_by_triggers is None:
        return
    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    for table in kept_by_triggers:
        connection.exec_driver_sql(f"DELETE FROM {table}")  # noqa: S608 - the catalogue's


_trigger_tables = {}


def _kept_by_triggers(connection):
    """The schema's tables that no model maps (those only the migrations' triggers write),
    quoted; None when the user may not turn triggers off (not a superuser). Asked once per
    database, not after every test."""
    url = connection.engine.url
    if url in _trigger_tables:
        return _trigger_tables[url]
    found = None
    if connection.exec_driver_sql("SHOW is_superuser").scalar() == "on":
        mapped = {table.name for table in every_table.tables()}
        schema = connection.exec_driver_sql(every_table.SCHEMA_TABLES)
        found = [quoted for name, quoted in schema if name not in mapped]
    _trigger_tables[url] = found
    return found


# A deleted row stays in its table's pages until a VACUUM, and autovacuum may be off (or
# a minute away): the tables most tests write to would grow to thousands of pages of dead
# rows, each read by every scan of them, and the suite would slow as it went. So once in
# this many emptyings every table is emptied by TRUNCATE instead, which also leaves each
# table's statistics unknown, as in a new database (a VACUUM would record it as empty,
# and the planner would then scan it whole for every foreign key a test's bulk insert
# checks).
TRUNCATE_EVERY = 50
_emptied = itertools.count(1)


def _truncated_now_and_then(connection):
    if next(_emptied) % TRUNCATE_EVERY or connection.dialect.name != "postgresql":
        return False
    # Not while another transaction is open (a test's thread or process still at work):
    # TRUNCATE would wait for its locks. Next time, then.
    others = connection.exec_driver_sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
    ).scalar()
    if others:
        return False
    tables = [quoted for _, quoted in connection.exec_driver_sql(every_table.SCHEMA_TABLES)]
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            connection.exec_driver_sql("TRUNCATE " + ", ".join(tables))
    except sa.exc.OperationalError:
        return False
    return True


@pytest.fixture(autouse=True)
def _clean_state(request, app, smtp_listener):
    shared = (
        request.getfixturevalue("shared_world") if "shared_world" in request.fixturenames else None
    )
    if SharedWorld.kept is not None and SharedWorld.kept is not shared:
        # Rows another module's tests (or this module's, for tests that share them)
        # kept: a test that does not ask for them starts on an empty database, as ever.
        SharedWorld.kept.drop()
    yield
    try:
        if shared is not None:
            shared.after_test()
    finally:
        if shared is None or SharedWorld.kept is not shared:
            empty_database(app)
    with app.app_context():
        empty_queue(get_queue())
        empty_queue(get_queue(bulk=True))
        app.extensions["hearth_limiter"].reset()
        column_stats.forget_all()
    smtp_listener.clear()


class SharedWorld:
    """Rows that the tests of one module share: built once, kept while no test changes them.

    A module whose tests read a world that is costly to build asks for the `shared_world`
    fixture and gets the world from `shared_world.get(key, build)`: the first test to ask
    builds it on an empty database, and the next that asks for the same key finds it as
    it was built. After each test that asked, `_clean_state` compares a fingerprint of
    every table with the one taken when the world was built: the same, the rows stay for
    the module's next test, and Redis's live versions are put back as they were built;
    changed (the test wrote), the rows are put back as they were built too, from a
    snapshot taken then (tests/support/snapshots.py), or where none could be taken every
    row is deleted, as after any test, and the next test to ask builds the world again.
    A test that does not ask starts on an empty database as ever, and the module's end
    deletes the world: no row outlives its module. Queued jobs, mail, rate limits and
    column statistics are reset after every test, as ever.

    `extend(add)` adds to a kept world (a login, say) and takes its fingerprint and
    snapshot again.
    """

    kept = None  # the world whose rows the database holds between tests, if any

    def __init__(self, app):
        self.app = app
        self.key = self.value = self.snapshot = None
        self.asked = False

    def get(self, key, build):
        """The world named key, kept from an earlier test or made now by build()."""
        self.asked = True
        if SharedWorld.kept is self and self.key == key and self._unchanged():
            return self.value
        self.drop()
        self.value = build()
        self.key = key
        self._seal()
        SharedWorld.kept = self
        return self.value

    def extend(self, add):
        """add() more to the world (it must be as built), kept with it; add's result."""
        assert SharedWorld.kept is self and self._unchanged(), "extend() needs the world as built"
        added = add()
        self._seal()
        return added

    def drop(self):
        """Delete every row, this world's or not."""
        empty_database(self.app)
        self._forget()

    def after_test(self):
        """Keep the rows for the next test if they are as they were built, with the live
        versions they were built with; else forget the world (the caller deletes them)."""
        asked, self.asked = self.asked, False
        if SharedWorld.kept is not self:
            return
        if not asked:
            self._forget()
            raise AssertionError("a test that asks for shared_world must take its world from get()")
        if not self._unchanged():
            if self.snapshot is None or not self.snapshot.can_put_back(self.app):
                self._forget()
                return
            self.snapshot.put_back(self.app)
            # The rows are the world's again, written by a newer transaction.
            self.fingerprint = every_table.fingerprint(self.app)
        self.live_versions.put_back(self.app)

    def _forget(self):
        self.key = self.value = self.snapshot = None
        if SharedWorld.kept is self:
            SharedWorld.kept = None

    def _seal(self):
        self.fingerprint = every_table.fingerprint(self.app)
        self.snapshot = Snapshot.take(self.app)
        self.live_versions = LiveVersions(self.app)

    def _unchanged(self):
        return every_table.fingerprint(self.app) == self.fingerprint


class KeptWorld:
    """A world built once and given as built to whoever asks again (each test, each
    submission): its rows and live versions put back from a snapshot, or where none could
    be taken (tests/support/snapshots.py), built again on an emptied database."""

    def __init__(self, build):
        self.build = build
        self.world = self.snapshot = self.live_versions = None

    def put_back(self, app):
        """The world as built, with no other row in the database; build(app)'s value."""
        if self.snapshot is not None and self.snapshot.can_put_back(app):
            self.snapshot.put_back(app)
            self.live_versions.put_back(app)
            return self.world
        empty_database(app)
        self.world = self.build(app)
        self.snapshot = Snapshot.take(app)
        self.live_versions = LiveVersions(app)
        return self.world


@pytest.fixture(scope="module")
def shared_world(app):
    """The module's SharedWorld; its rows are deleted when the module ends."""
    world = SharedWorld(app)
    yield world
    if SharedWorld.kept is world:
        world.drop()


def empty_queue(queue):
    """Queued, scheduled (reminders) and failed jobs alike: none outlives its test."""
    queue.empty()
    for registry in (ScheduledJobRegistry(queue=queue), FailedJobRegistry(queue=queue)):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


@pytest.fixture()
def scratch_database():
    """A new, empty database on the PostgreSQL test server, dropped afterwards: its URL."""
    name = f"hearth_scratch_{secrets.token_hex(5)}"
    server = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield TEST_DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


def run_worker(app):
    """Work off every queued job with a real RQ worker, in this process: the main queue's
    first, as `rq worker` takes them."""
    with app.app_context():
        queues = [get_queue(), get_queue(bulk=True)]
        SimpleWorker(queues, connection=queues[0].connection).work(
            burst=True, logging_level="WARNING"
        )


class Mailbox:
    """Mail as a person receives it: queued, delivered by the worker over SMTP, then read."""

    def __init__(self, app, listener):
        self.app = app
        self.listener = listener

    def messages(self, to=None):
        run_worker(self.app)
        return [m for m in self.listener.messages if to is None or to in m["To"]]

    def last(self, to=None):
        found = self.messages(to)
        assert found, f"no email to {to or 'anyone'}"
        return found[-1]

    def after(self, delta, to=None):
        """The messages once delta has passed for the outbox (tests/support/outbox_clock.py)."""
        pass_time(self.app, delta)
        return self.messages(to)

    @staticmethod
    def text(message):
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, to=None):
        """The first link in the newest message, as a path for the test client."""
        url = re.search(r"https?://\S+", self.text(self.last(to))).group(0)
        return url.removeprefix(self.app.config["BASE_URL"])


@pytest.fixture
def mailbox(app, smtp_listener):
    return Mailbox(app, smtp_listener)


@pytest.fixture
def user(app):
    with app.app_context():
        return make_user()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email, password=DEFAULT_PASSWORD, remember=False):
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.submit("/login", data)

    def logout(self):
        return self.client.submit("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def world(app):
    """An owner's group with a member, a request to join and an invitation
    (tests/support/crawl.py)."""
    return World(app)


@pytest.fixture(scope="session")
def _fuzz_world_as_built():
    return KeptWorld(FuzzWorld)


@pytest.fixture
def fuzz_world(app, _fuzz_world_as_built):
    """The crawl's world with one of everything, for the suites that try every form and
    every GET (tests/support/fuzz.py): built once, each test given it as built."""
    return _fuzz_world_as_built.put_back(app)


@pytest.fixture(scope="module")
def pseudo_languages(app, tmp_path_factory):
    """The app speaks the pseudo-languages (tests/support/pseudo_locale.py) while the module
    runs; the words a page may show that are not the catalogue's."""
    with speaking_pseudo_languages(app, tmp_path_factory.mktemp("pseudo")) as allowed:
        yield allowed
