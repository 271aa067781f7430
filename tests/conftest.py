"""Fixtures: the app on a scratch database, a client that speaks CSRF, a real SMTP listener.

TEST_DATABASE_URL and TEST_REDIS_URL point the suite at PostgreSQL and Redis (CI does);
without them it runs on a temporary SQLite file and an in-process Redis.
"""

import os
import re
import secrets

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from rq import SimpleWorker

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.smtp import SMTPListener
from webapp import create_app
from webapp.extensions import db
from webapp.jobs import get_queue

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
BASE_URL = "http://localhost"
CSRF_IN_PAGE = re.compile(r'"X-CSRFToken": "([^"]+)"')


class HearthClient(FlaskClient):
    """A test client that sends a valid CSRF token, as the browser's htmx header does."""

    def csrf_token(self):
        page = self.get("/").get_data(as_text=True)
        return CSRF_IN_PAGE.search(page).group(1)

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
            "BASE_URL": BASE_URL,
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


@pytest.fixture(autouse=True)
def _clean_state(app, smtp_listener):
    yield
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(table.name for table in tables)
                connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(table.delete())
        get_queue().empty()
        app.extensions["hearth_limiter"].reset()
    smtp_listener.clear()


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
