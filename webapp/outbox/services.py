"""Writes of the outbox: add a message, deliver it once, schedule its next attempt when
sending fails. The sweep, and an admin's retry or discard, are recovery.py.

Delivery is at least once. The row is the truth and the queue only a hint: a job names a
row id, claims the row with a conditional UPDATE (pending -> sending) and commits before
it talks to SMTP, so a job that is retried, swept twice or queued twice finds nothing to
claim and sends nothing. A claim that is never finished (the worker was killed) is released
by the sweep once it is older than OUTBOX_CLAIM_TIMEOUT, and the message goes out again.
"""

import logging
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.jobs import RETRY_INTERVALS, enqueue, enqueue_after_commit
from webapp.outbox import rendering, transport
from webapp.outbox.models import OutboxMessage, OutboxState

log = logging.getLogger("hearth.outbox")

# The first try plus one per retry interval.
MAX_ATTEMPTS = len(RETRY_INTERVALS) + 1
# The job that delivers one message (webapp/outbox/jobs.py), queued by name.
DELIVER_EMAIL = "webapp.outbox.jobs.deliver_email"
DELIVER_MANY = "webapp.outbox.jobs.deliver_emails"
# Messages of a send to many delivered by one job: a job costs a worker a fork and an app
# context, far more than one message to a nearby SMTP server, yet a job still ends soon
# enough for the main queue's mail to be taken between any two.
BULK_DELIVERY_CHUNK = 50


def delivery_timeout():
    # Shorter than the claim's lease: a slow send is stopped before the sweep would hand
    # the same message to another worker.
    return max(1, current_app.config["OUTBOX_CLAIM_TIMEOUT"] - 5)


def enqueue_delivery(message_id, bulk=False):
    """Queue the delivery of one outbox row (bulk: one of a send to many, on the bulk
    queue); its SMTP retries are the outbox's, not RQ's."""
    return enqueue(DELIVER_EMAIL, message_id, bulk=bulk, job_timeout=delivery_timeout())


def configured_seconds(name):
    """The setting called name, a number of seconds, as a timedelta."""
    return timedelta(seconds=current_app.config[name])


def update_message_if(row_id, *conditions, **values):
    """A conditional UPDATE of one row; True when the row matched."""
    result = db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == row_id, *conditions).values(**values),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def add_message(
    kind,
    recipient,
    subject,
    text_body,
    html_body="",
    render_args=None,
    list_unsubscribe=None,
    attachments=None,
    coalesce_key=None,
    not_before=None,
    bulk_key=None,
):
    """Write a message in the current transaction; it is queued once that commits. With
    render_args, its bodies are rendered when it is sent (webapp.outbox.rendering); with
    list_unsubscribe (a one-click https address), it is sent as mail one can turn off; with
    not_before, it waits for the sweep to find it due then (webapp.outbox.coalescing: news
    of its coalesce_key may update it meanwhile); with bulk_key, it is one of a send to many
    (a digest's), delivered from the bulk queue."""
    message = OutboxMessage(
        kind=kind,
        recipient=transport.single_line(recipient),
        subject=transport.single_line(subject)[:255],
        text_body=text_body,
        html_body=html_body,
        render_args=render_args,
        attachments=attachments,
        coalesce_key=coalesce_key,
        bulk_key=bulk_key,
        message_id=transport.new_message_id(),
        list_unsubscribe=transport.single_line(list_unsubscribe) if list_unsubscribe else None,
        state=OutboxState.PENDING,
        # The after-commit queueing is expected to handle it; the sweep steps in after this.
        next_attempt_at=not_before or utcnow() + configured_seconds("OUTBOX_REQUEUE_AFTER"),
    )
    db.session.add(message)
    if not_before is not None:
        return message
    # No flush of its own: the row goes with the change that sends it, in its flush.
    enqueue_after_commit(
        DELIVER_EMAIL,
        message,
        swept=True,
        bulk=bulk_key is not None,
        job_timeout=delivery_timeout(),
    )
    return message


def add_bulk_messages(bulk_key, kind, messages):
    """Write many messages of one send (bulk_key) in one statement, each a dict with
    recipient, subject, render_args and list_unsubscribe; each is rendered when sent and
    queued on the bulk queue once the transaction commits. Returns their ids."""
    if not messages:
        return []
    now = utcnow()
    rows = [
        {
            "kind": kind,
            "bulk_key": bulk_key,
            "recipient": transport.single_line(message["recipient"]),
            "subject": transport.single_line(message["subject"])[:255],
            "text_body": "",
            "html_body": "",
            "render_args": message["render_args"],
            "list_unsubscribe": transport.single_line(message["list_unsubscribe"]),
            "message_id": transport.new_message_id(),
            "state": OutboxState.PENDING,
            "attempts": 0,
            "created_at": now,
            "next_attempt_at": now + configured_seconds("OUTBOX_REQUEUE_AFTER"),
        }
        for message in messages
    ]
    ids = db.session.scalars(
        sa.insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True),
        rows,
    ).all()
    for start in range(0, len(ids), BULK_DELIVERY_CHUNK):
        enqueue_after_commit(
            DELIVER_MANY,
            ids[start : start + BULK_DELIVERY_CHUNK],
            swept=True,
            bulk=True,
            job_timeout=2 * delivery_timeout(),
        )
    return ids


def claim(message_id):
    """Take a pending message for sending, or None if another job has it or it is done."""
    claimed = update_message_if(
        message_id,
        OutboxMessage.state == OutboxState.PENDING,
        state=OutboxState.SENDING,
        claimed_at=utcnow(),
        attempts=OutboxMessage.attempts + 1,
        # A row written before messages kept their Message-ID gets one now, for good.
        message_id=sa.func.coalesce(OutboxMessage.message_id, transport.new_message_id()),
    )
    db.session.commit()
    if not claimed:
        return None
    message = db.session.get(OutboxMessage, message_id)
    # Detached with its columns loaded: no transaction stays open while SMTP talks.
    db.session.expunge(message)
    db.session.commit()
    return message


def deliver(message_id):
    """Send one message if it is still pending; record the outcome on its row."""
    message = claim(message_id)
    if message is None:
        return "skipped"
    try:
        rendering.render_when_sent(message)
        transport.send(message)
    except rendering.NothingToSend as gone:
        return _discard_claimed(message, gone)
    except Exception as error:  # noqa: BLE001  (any failure to send is kept and retried)
        return record_failure(message, error)
    # The duplicate window: the SMTP server has accepted the message but the row still says
    # sending. A crash before this commit leaves the claim to expire, and the sweep sends
    # the message again. It is one short UPDATE long; nothing else happens in between.
    update_message_if(
        message.id,
        OutboxMessage.state == OutboxState.SENDING,
        state=OutboxState.SENT,
        sent_at=utcnow(),
        claimed_at=None,
        # Bodies carry single-use links whose tokens are stored only hashed: once sent,
        # the row keeps who, what kind and when, not a working link (nor an unsubscribe).
        text_body="",
        html_body="",
        render_args=None,
        list_unsubscribe=None,
        attachments=None,
        # As it went: a message rendered when sent may have a subject of that moment.
        subject=transport.single_line(message.subject)[:255],
    )
    db.session.commit()
    return "sent"


def deliver_many(message_ids):
    """deliver each of message_ids in turn, until one fails (the server is likely down:
    the rest wait for the sweep, rather than each wait out its timeout) or the job has run
    for a delivery's lease; returns how many were sent."""
    deadline = time.monotonic() + delivery_timeout()
    sent = 0
    for message_id in message_ids:
        if time.monotonic() > deadline:
            break
        outcome = deliver(message_id)
        if outcome in (str(OutboxState.PENDING), str(OutboxState.FAILED)):
            break
        sent += outcome == "sent"
    return sent


def _discard_claimed(message, reason):
    update_message_if(
        message.id,
        OutboxMessage.state == OutboxState.SENDING,
        state=OutboxState.DISCARDED,
        claimed_at=None,
        last_error=str(reason),
    )
    db.session.commit()
    log.info("mail %s discarded: %s", message.id, reason)
    return str(OutboxState.DISCARDED)


def record_failure(message, error):
    """Schedule the next attempt with backoff, or keep the message as failed."""
    error_text = f"{type(error).__name__}: {error}"[:2000]
    attempts = message.attempts
    if attempts >= MAX_ATTEMPTS:
        state, next_attempt_at = OutboxState.FAILED, utcnow()
    else:
        state = OutboxState.PENDING
        next_attempt_at = utcnow() + timedelta(seconds=RETRY_INTERVALS[attempts - 1])
    update_message_if(
        message.id,
        OutboxMessage.state == OutboxState.SENDING,
        state=state,
        next_attempt_at=next_attempt_at,
        claimed_at=None,
        last_error=error_text,
    )
    db.session.commit()
    log.warning(
        "mail %s to %s, attempt %d of %d failed (%s): %s",
        message.id,
        message.recipient,
        attempts,
        MAX_ATTEMPTS,
        state,
        error_text,
    )
    return str(state)
