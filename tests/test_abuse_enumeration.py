"""Forgot password and resend verification do the same work whether or not the address has
an account: the request only queues a job naming the address; the job looks it up and mails.
Compared by the SQL each request issues and the jobs it queues, not by timing."""

import pytest

from tests.support.engine_events import listening
from tests.support.members import new_member
from tests.support.other_apps import app_like
from webapp.extensions import db
from webapp.jobs import get_queue

KNOWN = "ada@example.org"
UNVERIFIED = "una@example.org"
UNKNOWN = "zed@example.org"


@pytest.fixture
def accounts(app):
    new_member(app, email=KNOWN)
    new_member(app, email=UNVERIFIED, verified=False)


def work_done(app, url, email, form=None):
    """(status, location, SQL statements run, jobs queued) for one POST naming email (with
    the rest of form)."""
    client = app.test_client()
    token = client.csrf_token()
    with app.app_context():
        engine = db.engine
        queued_before = get_queue().count
    statements = []

    def record(connection, cursor, statement, *args):
        statements.append(statement)

    with listening(engine, "before_cursor_execute", record):
        data = {**(form or {}), "email": email}
        response = client.post(url, data=data, headers={"X-CSRFToken": token})
    with app.app_context():
        queued = get_queue().count - queued_before
    return response.status_code, response.location, statements, queued


@pytest.mark.parametrize("url", ["/password/forgot", "/verify/resend"], ids=["forgot", "resend"])
def test_known_and_unknown_addresses_cost_the_request_the_same(app, accounts, url):
    known = work_done(app, url, KNOWN)
    unverified = work_done(app, url, UNVERIFIED)
    unknown = work_done(app, url, UNKNOWN)

    assert known == unverified == unknown
    status, _, statements, queued = unknown
    assert status == 303
    # No look-up at all before the answer: nothing to time.
    assert statements == []
    assert queued == 1


def test_the_job_mails_a_reset_link_only_to_a_known_address(app, accounts, client, mailbox):
    for email in (KNOWN, UNKNOWN):
        assert client.submit("/password/forgot", {"email": email}).status_code == 303

    [message] = mailbox.messages()
    assert KNOWN in message["To"]
    assert client.get(mailbox.link(KNOWN)).status_code == 200


def test_the_job_mails_a_verification_link_only_to_an_unverified_address(
    app, accounts, client, mailbox
):
    for email in (KNOWN, UNVERIFIED, UNKNOWN):
        assert client.submit("/verify/resend", {"email": email}).status_code == 303

    [message] = mailbox.messages()
    assert UNVERIFIED in message["To"]
    assert client.get(mailbox.link(UNVERIFIED)).status_code == 200


def test_without_a_queue_the_job_runs_after_commit_and_its_link_works(app, accounts, smtp_listener):
    # The embedded default: no worker, jobs run inside the request's commit hook.
    with app_like(app, JOBS_ASYNC=False) as embedded:
        client = embedded.test_client()
        assert client.submit("/password/forgot", {"email": KNOWN}).status_code == 303

        [message] = [m for m in smtp_listener.messages if KNOWN in m["To"]]
        text = message.get_body(preferencelist=("plain",)).get_content()
        link = text.split(app.config["BASE_URL"], 1)[1].split()[0]
        assert client.get(link).status_code == 200
