"""Mail: the local outbox, idempotent delivery, retries that end in a visible failed list."""

import email
import email.policy
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask_migrate import upgrade
from rq import Retry, SimpleWorker
from rq.job import JobStatus
from rq.registry import ScheduledJobRegistry

from tests.factories import DEFAULT_PASSWORD
from tests.members import new_member
from tests.other_apps import app_like
from tests.smtp import free_port
from webapp import jobs

SIGNUP = {
    "email": "newcomer@example.org",
    "first_name": "Noor",
    "last_name": "Haddad",
    "password": DEFAULT_PASSWORD,
    "confirm": DEFAULT_PASSWORD,
}


def message_to(to, key=None):
    return {
        "to": to,
        "subject": "Hello from a test",
        "text": "Plain words.",
        "html": "<p>Plain words.</p>",
        "idempotency_key": key or secrets.token_hex(16),
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


def test_delivering_the_same_message_twice_sends_it_once(app_context, mailbox):
    message = message_to("twice@example.org", key="fixed-key-" + secrets.token_hex(4))
    assert jobs.deliver_email(message) == "sent"
    assert jobs.deliver_email(message) == "duplicate"
    assert len(mailbox.messages("twice@example.org")) == 1


def test_messages_with_different_keys_are_each_sent(app_context, mailbox):
    jobs.deliver_email(message_to("each@example.org"))
    jobs.deliver_email(message_to("each@example.org"))
    assert len(mailbox.messages("each@example.org")) == 2


def test_smtp_delivery_sends_text_and_html(app_context, mailbox):
    jobs.deliver_email(message_to("parts@example.org"))
    [received] = mailbox.messages("parts@example.org")
    assert received["Subject"] == "Hello from a test"
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "Plain words."
    assert "<p>Plain words.</p>" in received.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def unreachable_smtp(app):
    """An app whose SMTP server does not answer, with a queue of its own."""
    queue_name = f"hearth-test-dead-smtp-{secrets.token_hex(4)}"
    with (
        app_like(app, MAIL_PORT=free_port(), QUEUE_NAME=queue_name) as dead,
        dead.app_context(),
    ):
        yield dead
        for job in jobs.failed_jobs():
            job.delete()
        jobs.get_queue().empty()


def work_off(queue):
    SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="ERROR")


def test_failed_delivery_is_retried_with_backoff_then_listed_as_failed(unreachable_smtp):
    job = jobs.enqueue("webapp.jobs.deliver_email", message_to("later@example.org"))
    queue = jobs.get_queue()
    scheduled = ScheduledJobRegistry(queue=queue)
    assert job.retries_left == len(jobs.RETRY_INTERVALS)

    for attempt, interval in enumerate(jobs.RETRY_INTERVALS, start=1):
        work_off(queue)
        job.refresh()
        assert job.get_status() == JobStatus.SCHEDULED, f"attempt {attempt}"
        assert job.retries_left == len(jobs.RETRY_INTERVALS) - attempt
        due = scheduled.get_scheduled_time(job)
        expected = datetime.now(UTC) + timedelta(seconds=interval)
        assert abs(due - expected) < timedelta(seconds=3)
        assert jobs.failed_jobs() == []
        scheduled.requeue(job)  # as if the scheduler's clock reached the retry time

    work_off(queue)
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert [failed.id for failed in jobs.failed_jobs()] == [job.id]


def test_failed_delivery_with_quick_retry_ends_in_the_failed_list(unreachable_smtp, mailbox):
    queue = jobs.get_queue()
    job = queue.enqueue(
        "webapp.jobs.deliver_email",
        message_to("lost@example.org"),
        retry=Retry(max=1, interval=0),
    )
    work_off(queue)
    job.refresh()
    assert job.get_status() == JobStatus.FAILED
    assert job.retries_left == 0
    [failed] = jobs.failed_jobs()
    assert failed.id == job.id
    assert "ConnectionRefusedError" in failed.latest_result().exc_string
    assert mailbox.messages("lost@example.org") == []


def test_delivery_failure_raises_so_the_worker_can_retry(unreachable_smtp):
    with pytest.raises(ConnectionRefusedError):
        jobs.deliver_email(message_to("raise@example.org"))


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
