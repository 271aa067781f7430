"""Worlds for the admin tests: an admin, people, a group with an event and a poll, an
outbox message that failed, and a failed job."""

import sqlalchemy as sa
from rq.worker import SimpleWorker

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.polls.factories import make_poll
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.outbox.models import OutboxMessage, OutboxState


def failed_message(recipient="lost@example.org", subject="Your invitation"):
    """An outbox row that used up its attempts, as the worker leaves it."""
    message = OutboxMessage(
        kind="group_invitation",
        recipient=recipient,
        subject=subject,
        text_body="Come and join us.",
        html_body="",
        state=OutboxState.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return message


def broken_job():
    """Job (for the test helper below) that always fails."""
    raise RuntimeError("the printer is on fire")


def failed_job():
    """A job in the failed registry, as RQ leaves one that used its retries; its id."""
    queue = get_queue()
    job = queue.enqueue("tests.admin.support.broken_job", failure_ttl=3600)
    SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="CRITICAL")
    return job.id


def admin_world():
    """A second admin, people to act on, a group with an event and a poll."""
    owner = make_user(email="owner@example.org")
    group = make_group(owner, name="Allotment Friends")
    event = make_event(group, title="Seed swap")
    poll = make_poll(group)
    person = make_user(email="person@example.org", first_name="Pat", last_name="Person")
    return {"owner": owner, "group": group, "event": event, "poll": poll, "person": person}


def count_rows(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
