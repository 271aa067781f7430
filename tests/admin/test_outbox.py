"""The admin's outbox and failed jobs: every failed email is listed with its error and
can be retried (and then really goes out, over SMTP) or discarded; failed jobs of other
kinds likewise. Each action is recorded in the audit log."""

import pytest
import sqlalchemy as sa
from rq.registry import FailedJobRegistry

from tests.accounts.factories import make_user
from tests.admin.support import failed_job, failed_message
from tests.support.auth import login_data
from tests.support.html_checks import by_id
from tests.support.other_apps import app_like
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.outbox.models import OutboxMessage, OutboxState


@pytest.fixture
def admin(app):
    with app.app_context():
        make_user(email="admin@example.org", is_site_admin=True)
    client = app.test_client()
    assert client.submit("/login", login_data("admin@example.org")).status_code == 303
    return client


def message_state(app, message_id):
    with app.app_context():
        return db.session.get(OutboxMessage, message_id).state


def audit_actions(app):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()


def test_failed_emails_are_listed_with_their_error(app, admin):
    with app.app_context():
        failed_message(recipient="lost@example.org")

    page = admin.get("/admin/outbox")
    fragment = admin.fragment("/admin/outbox?state=failed")
    elsewhere = admin.fragment("/admin/outbox?state=sent")

    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    listed = by_id(fragment.get_data(as_text=True), "admin-outbox")
    assert listed is not None and "<html" not in fragment.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "lost@example.org" in body and "SMTPServerDisconnected" in body
    assert "lost@example.org" not in elsewhere.get_data(as_text=True)
    assert admin.get("/admin/outbox?state=nonsense").status_code == 404


def test_a_retried_email_goes_out_over_smtp(app, admin, mailbox):
    with app.app_context():
        message_id = failed_message(recipient="lost@example.org", subject="Your invitation").id

    asked = admin.get(f"/admin/outbox/{message_id}/retry")
    response = admin.submit(f"/admin/outbox/{message_id}/retry")

    assert asked.status_code == 200 and "lost@example.org" in asked.get_data(as_text=True)
    assert response.status_code == 303
    received = mailbox.last(to="lost@example.org")
    assert received["Subject"] == "Your invitation"
    assert message_state(app, message_id) == OutboxState.SENT
    assert audit_actions(app) == ["message_retried"]


def test_a_discarded_email_is_kept_as_discarded_and_never_sent(app, admin, mailbox):
    with app.app_context():
        message_id = failed_message(recipient="lost@example.org").id

    response = admin.submit(f"/admin/outbox/{message_id}/discard")

    assert response.status_code == 303
    assert message_state(app, message_id) == OutboxState.DISCARDED
    assert mailbox.messages(to="lost@example.org") == []
    again = admin.submit(f"/admin/outbox/{message_id}/retry")
    assert again.status_code == 422
    assert "discarded: not retried" in again.get_data(as_text=True)
    assert audit_actions(app) == ["message_discarded"]


@pytest.mark.parametrize("message_id", ["999999", "99999999999999999999", "x"])
def test_an_unknown_email_is_not_found(app, admin, message_id):
    assert admin.submit(f"/admin/outbox/{message_id}/retry").status_code == 404


@pytest.mark.redis
def test_a_failed_job_is_listed_and_retried(app, admin):
    with app.app_context():
        job_id = failed_job()

    listed = admin.get("/admin/jobs").get_data(as_text=True)
    response = admin.submit(f"/admin/jobs/{job_id}/retry")

    assert "broken_job" in listed and "the printer is on fire" in listed
    assert response.status_code == 303
    with app.app_context():
        queue = get_queue()
        assert job_id in queue.get_job_ids()
        assert job_id not in FailedJobRegistry(queue=queue).get_job_ids()
    assert audit_actions(app) == ["job_retried"]
    # It is gone from the failed ones: a second retry says so.
    again = admin.submit(f"/admin/jobs/{job_id}/retry")
    assert again.status_code == 422
    assert "no longer among the failed" in again.get_data(as_text=True)


@pytest.mark.redis
def test_a_failed_job_is_discarded(app, admin):
    with app.app_context():
        job_id = failed_job()

    response = admin.submit(f"/admin/jobs/{job_id}/discard")

    assert response.status_code == 303
    assert "No job has failed." in admin.get("/admin/jobs").get_data(as_text=True)
    assert audit_actions(app) == ["job_discarded"]


@pytest.mark.parametrize("job_id", ["no-such-job", "a" * 101, "bad%20id"])
def test_wrong_job_ids_are_refused(app, admin, job_id):
    response = admin.submit(f"/admin/jobs/{job_id}/discard")

    assert response.status_code in (404, 422)


def test_the_overview_counts_what_needs_a_look(app, admin):
    with app.app_context():
        failed_message()
        failed_message(recipient="also@example.org")

    body = admin.fragment("/admin").get_data(as_text=True)

    counts = by_id(body, "admin-counts")
    assert counts is not None
    assert "Emails that failed" in body
    assert '<td data-label="How many">2</td>' in body


def test_retrying_emails_is_rate_limited_per_admin(app, admin, monkeypatch, mailbox):
    monkeypatch.setitem(app.config, "RATE_LIMIT_ADMIN_MAIL", "2 per minute")
    with app.app_context():
        ids = [failed_message(recipient=f"lost{n}@example.org").id for n in range(3)]

    statuses = [admin.submit(f"/admin/outbox/{message_id}/retry").status_code for message_id in ids]

    assert statuses == [303, 303, 429]
    assert message_state(app, ids[2]) == OutboxState.FAILED
    assert len(mailbox.messages()) == 2


def test_without_redis_the_overview_says_jobs_run_in_the_web_process(app):
    with app.app_context():
        make_user(email="admin@example.org", is_site_admin=True)
    settings = {"REDIS_URL": None, "JOBS_ASYNC": False, "RATELIMIT_STORAGE_URI": "memory://"}
    with app_like(app, **settings) as embedded:
        admin = embedded.test_client()
        assert admin.submit("/login", login_data("admin@example.org")).status_code == 303

        overview = admin.get("/admin").get_data(as_text=True)
        jobs = admin.get("/admin/jobs")

    assert "without Redis, jobs run in the web process" in overview
    assert jobs.status_code == 200 and "No job has failed." in jobs.get_data(as_text=True)
