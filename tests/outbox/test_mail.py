"""Mail: the local outbox, SMTP delivery, retries with backoff that end in a failed row."""

import email
import email.policy
import logging
import re
import secrets
import socket
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from rq import SimpleWorker

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import CSRF_IN_PAGE
from tests.support.members import new_member
from tests.support.other_apps import app_like
from tests.support.ports import free_port
from webapp import jobs
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.outbox import jobs as outbox_jobs
from webapp.outbox import recovery, services
from webapp.outbox.models import OutboxMessage, OutboxState

SIGNUP = {
    "email": "newcomer@example.org",
    "first_name": "Noor",
    "last_name": "Haddad",
    "password": DEFAULT_PASSWORD,
    "confirm": DEFAULT_PASSWORD,
}


@pytest.fixture
def outbox_app(app, tmp_path):
    """The embedded default: SQLite, jobs in the web process, mail to a folder on disk."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'embedded.db'}",
        "REDIS_URL": None,
        "JOBS_ASYNC": False,
        "MAIL_SERVER": None,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "BASE_URL": "http://hearth.local:5000",
    }
    with app_like(app, **settings) as embedded:
        with embedded.app_context():
            upgrade()
        yield embedded


def test_without_smtp_signup_mail_lands_in_the_outbox_as_a_readable_file(outbox_app, caplog):
    client = outbox_app.test_client()
    with caplog.at_level(logging.INFO, logger="hearth.jobs"):
        response = client.submit("/signup", SIGNUP)
    assert response.status_code == 303

    [saved] = list(Path(outbox_app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    message = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert message["To"] == SIGNUP["email"]
    assert message["Subject"] == "Confirm your email address"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = re.search(r"http://hearth\.local:5000/verify/\S+", text).group(0)
    assert f'href="{link}"' in html

    [logged] = [r.getMessage() for r in caplog.records if r.name == "hearth.jobs"]
    assert link in logged
    assert str(saved) in logged

    path = link.removeprefix(outbox_app.config["BASE_URL"])
    assert client.get(path).status_code == 200
    assert client.submit(path).status_code == 303


def test_the_saved_copy_reads_as_plain_text_with_whole_links(outbox_app):
    client = outbox_app.test_client()
    client.submit("/signup", SIGNUP)
    [saved] = list(Path(outbox_app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    raw = saved.read_text()
    assert "quoted-printable" not in raw.lower()
    assert "base64" not in raw.lower()
    # The link, long as it is, stands on one line exactly as the reader must open it.
    assert re.search(r"^http://hearth\.local:5000/verify/[\w.-]+$", raw, re.M)


def test_in_process_jobs_keep_their_database_writes(outbox_app):
    """Without Redis the job runs in the request's commit hook, on a session of its own."""
    client = outbox_app.test_client()
    assert client.submit("/signup", SIGNUP).status_code == 303
    with outbox_app.app_context():
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert message.state == OutboxState.SENT
        assert message.sent_at is not None
        assert message.attempts == 1


def signup_on(client, served_on):
    """Sign up through the app served at another address than BASE_URL names."""
    page = client.get("/signup", base_url=served_on).get_data(as_text=True)
    token = CSRF_IN_PAGE.search(page).group(1)
    return client.post("/signup", data=SIGNUP, headers={"X-CSRFToken": token}, base_url=served_on)


def test_without_redis_the_web_process_retries_a_failed_send(
    outbox_app, monkeypatch, smtp_listener
):
    monkeypatch.setitem(outbox_app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(outbox_app.config, "MAIL_PORT", free_port())
    client = outbox_app.test_client()
    assert client.submit("/signup", SIGNUP).status_code == 303
    with outbox_app.app_context():
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert (message.state, message.attempts) == (OutboxState.PENDING, 1)
        # The SMTP server is back and the retry is due.
        message.next_attempt_at = utcnow()
        message_id = message.id
        db.session.commit()
    monkeypatch.setitem(outbox_app.config, "MAIL_PORT", smtp_listener.port)
    monkeypatch.setattr(jobs, "_last_in_process_sweep", None)
    client.submit("/password/forgot", {"email": "nobody@example.org"})
    assert [m["To"] for m in smtp_listener.messages] == [SIGNUP["email"]]
    with outbox_app.app_context():
        assert db.session.get(OutboxMessage, message_id).state == OutboxState.SENT


def test_in_development_without_base_url_links_follow_the_address_served_on(app, mailbox):
    served_on = "http://127.0.0.1:5000"
    settings = {"HEARTH_ENV": "development", "BASE_URL": None, "SECRET_KEY": "k" * 40}
    with app_like(app, **settings) as development:
        assert development.config["BASE_URL"] is None
        assert signup_on(development.test_client(), served_on).status_code == 303
    text = mailbox.text(mailbox.last(SIGNUP["email"]))
    assert re.search(r"http://127\.0\.0\.1:5000/verify/\S+", text)
    assert "localhost" not in text


@pytest.mark.parametrize(
    ("url", "path"), [("/password/forgot", "/password/reset/"), ("/verify/resend", "/verify/")]
)
def test_in_development_links_mailed_by_a_lookup_job_follow_the_address_served_on(
    app, mailbox, url, path
):
    """Forgot password and resend look the address up in a job; without Redis it runs in
    the request, and its links must still name the address the browser used."""
    served_on = "http://127.0.0.1:5000"
    new_member(app, email="zed@example.org", verified=path != "/verify/")
    settings = {"HEARTH_ENV": "development", "BASE_URL": None, "SECRET_KEY": "k" * 40}
    with app_like(app, JOBS_ASYNC=False, **settings) as development:
        client = development.test_client()
        page = client.get(url, base_url=served_on).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = {"email": "zed@example.org", "csrf_token": token}
        assert client.post(url, data=data, base_url=served_on).status_code == 303
    text = mailbox.text(mailbox.last("zed@example.org"))
    assert re.search(r"http://127\.0\.0\.1:5000" + re.escape(path) + r"\S+", text), text


def test_with_base_url_set_links_keep_it_whatever_host_was_asked(app, client, mailbox):
    assert signup_on(client, "http://127.0.0.1:5000").status_code == 303
    text = mailbox.text(mailbox.last(SIGNUP["email"]))
    assert app.config["BASE_URL"] + "/verify/" in text
    assert "127.0.0.1" not in text


def add(recipient, subject="Hello from a test"):
    """A committed outbox message, queued after its commit."""
    message = services.add_message("test", recipient, subject, "Plain words.", "<p>Plain.</p>")
    db.session.commit()
    return message.id


def row(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_smtp_delivery_sends_text_and_html(app_context, mailbox):
    add("parts@example.org")
    [received] = mailbox.messages("parts@example.org")
    assert received["Subject"] == "Hello from a test"
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Plain words."
    assert "<p>Plain.</p>" in received.get_body(preferencelist=("html",)).get_content()
    assert received["Message-ID"]


def test_messages_are_each_sent(app_context, mailbox):
    add("each@example.org")
    add("each@example.org")
    assert len(mailbox.messages("each@example.org")) == 2


@pytest.fixture
def unreachable_smtp(app):
    """An app whose SMTP server does not answer, with a queue of its own."""
    queue_name = f"hearth-test-dead-smtp-{secrets.token_hex(4)}"
    with (
        app_like(app, MAIL_PORT=free_port(), QUEUE_NAME=queue_name) as dead,
        dead.app_context(),
    ):
        yield dead
        jobs.get_queue().empty()


def work_off(queue):
    SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="ERROR")


def test_failed_delivery_is_retried_with_backoff_then_kept_as_failed(unreachable_smtp):
    message_id = add("later@example.org")
    queue = jobs.get_queue()
    work_off(queue)
    for attempt, interval in enumerate(jobs.RETRY_INTERVALS, start=1):
        message = row(message_id)
        assert message.state == OutboxState.PENDING, f"attempt {attempt}"
        assert message.attempts == attempt
        assert "ConnectionRefusedError" in message.last_error
        expected = utcnow() + timedelta(seconds=interval)
        assert abs(message.next_attempt_at - expected) < timedelta(seconds=3)
        # Not due before its time; due once the clock reaches it.
        assert recovery.sweep(now=message.next_attempt_at - timedelta(seconds=1)) == (0, 0)
        assert recovery.sweep(now=message.next_attempt_at) == (0, 1)
        work_off(queue)

    message = row(message_id)
    assert message.state == OutboxState.FAILED
    assert message.attempts == len(jobs.RETRY_INTERVALS) + 1
    assert "ConnectionRefusedError" in message.last_error
    assert recovery.sweep(now=utcnow() + timedelta(days=1)) == (0, 0)


def test_a_failed_message_retried_by_an_operator_goes_out(app, unreachable_smtp, mailbox):
    message_id = add("retry@example.org")
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=OutboxState.FAILED, attempts=6, last_error="SMTP was down")
    )
    db.session.commit()
    with app.app_context():
        recovery.retry_message(message_id)
        db.session.commit()
        assert len(mailbox.messages("retry@example.org")) == 1


def test_a_stalled_smtp_server_times_out_instead_of_holding_the_worker(app):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with app_like(app, MAIL_PORT=port, MAIL_TIMEOUT=1) as stalled, stalled.app_context():
            message_id = add("slow@example.org")
            jobs.get_queue().empty()
            started = time.monotonic()
            assert outbox_jobs.deliver_email(message_id) == "pending"
            assert time.monotonic() - started < 5
            assert "timed out" in row(message_id).last_error


LINK_FLOWS = {
    "verify": ("/signup", SIGNUP, SIGNUP["email"], "/verify/"),
    "reset": (
        "/password/forgot",
        {"email": "member@example.org"},
        "member@example.org",
        "/password/reset/",
    ),
}


@pytest.mark.parametrize("flow", sorted(LINK_FLOWS))
def test_emails_have_text_and_html_with_absolute_links_on_base_url(
    app, client, mailbox, monkeypatch, flow
):
    base_url = "https://hearth.example.org"
    monkeypatch.setitem(app.config, "BASE_URL", base_url)
    new_member(app, email="member@example.org")
    url, data, to, path = LINK_FLOWS[flow]
    assert client.submit(url, data).status_code == 303

    [message] = mailbox.messages(to)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert base_url + path in text
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs
    assert all(href.startswith(base_url + "/") for href in hrefs)
    assert any(href.startswith(base_url + path) for href in hrefs)
    assert "http://localhost" not in text + html


def test_password_changed_email_links_to_reset_on_base_url(app, client, auth, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://hearth.example.org")
    member = new_member(app)
    auth.login(member.email)
    client.submit(
        "/settings/password",
        {
            "password-current_password": DEFAULT_PASSWORD,
            "password-password": "Lantern-Harbour-77?",
            "password-confirm": "Lantern-Harbour-77?",
        },
    )
    [message] = mailbox.messages(member.email)
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "https://hearth.example.org/password/forgot" in text
    assert 'href="https://hearth.example.org/password/forgot"' in html
