"""Fixtures: the app on a scratch database, a client that speaks CSRF, a real SMTP listener.

TEST_DATABASE_URL and TEST_REDIS_URL point the suite at PostgreSQL and Redis (CI does);
without them it runs on a temporary SQLite file and an in-process Redis, and tests
marked `postgres` or `redis` are skipped, or fail when HEARTH_REQUIRE_SERVICES=1 (CI).
Every test fails when the app answers a 500, unless marked `expects_server_error`.
"""

import logging
import os
import re
import secrets

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from rq import SimpleWorker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from tests.crawl import World
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.smtp import SMTPListener
from webapp import column_stats, create_app
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.redis_client import get_redis

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
BASE_URL = "http://localhost"
CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_IN_FORM = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REQUIRE_SERVICES = os.environ.get("HEARTH_REQUIRE_SERVICES") == "1"
SERVICES = {
    "postgres": (
        TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"),
        "PostgreSQL (set TEST_DATABASE_URL=postgresql+psycopg://...)",
    ),
    "redis": (bool(TEST_REDIS_URL), "a real Redis (set TEST_REDIS_URL=redis://...)"),
}
BROWSER_TIMEOUT_SECONDS = 180


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS))


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


class HearthClient(FlaskClient):
    """A test client that sends a valid CSRF token, as the browser's htmx header does."""

    def csrf_token(self):
        page = self.get("/").get_data(as_text=True)
        found = CSRF_IN_PAGE.search(page)
        if found is None:
            # An anonymous visitor has no session until a page with a form makes one.
            page = self.get("/login").get_data(as_text=True)
            found = CSRF_IN_FORM.search(page)
        return found.group(1)

    def submit(self, url, data=None, htmx=False, csrf=True, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if csrf:
            headers["X-CSRFToken"] = self.csrf_token()
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
    options = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        # A scratch database need not wait for its commits to reach the disk.
        options["connect_args"] = {"options": "-c synchronous_commit=off"}
    return options


@pytest.fixture(scope="session")
def app(tmp_path_factory, smtp_listener):
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
    yield app
    with app.app_context():
        get_queue().empty()
        db.engine.dispose()


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


def _written_tables(connection):
    """The tables holding rows, children first: one query, however many tables exist."""
    tables = list(reversed(db.metadata.sorted_tables))
    probe = sa.union_all(
        *(
            sa.select(sa.literal(index)).where(sa.exists(sa.select(sa.literal(1)).select_from(t)))
            for index, t in enumerate(tables)
        )
    )
    return [tables[index] for index in sorted(connection.scalars(probe))]


@pytest.fixture(autouse=True)
def _clean_state(app, smtp_listener):
    yield
    with app.app_context():
        db.session.remove()
        # A DELETE per table that has rows: most tests write to a few of the tables, and
        # TRUNCATE on PostgreSQL costs far more per table than deleting a handful of rows.
        with db.engine.begin() as connection:
            for table in _written_tables(connection):
                connection.execute(table.delete())
        empty_queue(get_queue())
        forget_live_topics(get_redis())
        app.extensions["hearth_limiter"].reset()
        column_stats.forget_all()
    smtp_listener.clear()


def forget_live_topics(redis):
    """The live parts' versions (webapp/live.py) of the rows just deleted: on SQLite the
    next test's rows take the same ids again, and would start from these."""
    for key in list(redis.scan_iter("live:*")):
        redis.delete(key)


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
    """Work off every queued job with a real RQ worker, in this process."""
    with app.app_context():
        queue = get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")


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
    """An owner's group with a member, a request to join and an invitation (tests/crawl.py)."""
    return World(app)
