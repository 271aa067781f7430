"""What puts a message back on its way, or ends it, outside its own delivery: the sweep,
which releases the claims of workers that died and queues every pending message that is
due (its queueing after the commit was lost, its next attempt's time came, or it waited
until then), and an admin's retry or discard of a message that waits or failed (the
admin's outbox page and `flask outbox`).

Sweeps may run at once (every worker runs one): a message they both queue still goes out
once, as the claim decides (services.py).
"""

import logging

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.jobs import bulk_queue_is_empty, enqueue_after_commit
from webapp.outbox import queries
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.services import (
    DELIVER_EMAIL,
    MAX_ATTEMPTS,
    configured_seconds,
    delivery_timeout,
    enqueue_delivery,
    update_message_if,
)
from webapp.web.translating import gettext as _

log = logging.getLogger("hearth.outbox")

SWEEP_BATCH = 200
INTERRUPTED = "Delivery was interrupted (the worker stopped before it finished)."


def release_stale_claims(now):
    """Claims older than the lease belong to a worker that died: send those again."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.state == OutboxState.SENDING,
            OutboxMessage.claimed_at < now - configured_seconds("OUTBOX_CLAIM_TIMEOUT"),
        )
        .values(
            state=sa.case(
                (OutboxMessage.attempts >= MAX_ATTEMPTS, OutboxState.FAILED.value),
                else_=OutboxState.PENDING.value,
            ),
            next_attempt_at=now,
            claimed_at=None,
            last_error=INTERRUPTED,
        ),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount


def sweep(now=None):
    """Queue every pending message that is due; returns (claims released, messages queued)."""
    now = now or utcnow()
    released = release_stale_claims(now)
    queued = 0
    due = queries.due_message_ids(now, SWEEP_BATCH, with_bulk=bulk_queue_is_empty())
    for message_id, bulk in due:
        try:
            enqueue_delivery(message_id, bulk=bulk)
        except Exception:  # Redis away: the next sweep tries again
            log.warning("outbox sweep could not queue message %s", message_id, exc_info=True)
            break
        # Not again at the next sweep while it waits its turn in a long queue.
        update_message_if(
            message_id,
            OutboxMessage.state == OutboxState.PENDING,
            next_attempt_at=now + configured_seconds("OUTBOX_REQUEUE_AFTER"),
        )
        db.session.commit()
        queued += 1
    if released or queued:
        log.info("outbox sweep: %d claim(s) released, %d message(s) queued", released, queued)
    return released, queued


def _not_retried(message_id, state):
    return {
        OutboxState.SENDING: _("Message %(id)s is being sent: not retried.", id=message_id),
        OutboxState.SENT: _("Message %(id)s is sent: not retried.", id=message_id),
        OutboxState.DISCARDED: _("Message %(id)s is discarded: not retried.", id=message_id),
    }[state]


def _not_discarded(message_id, state):
    return {
        OutboxState.SENDING: _("Message %(id)s is being sent: not discarded.", id=message_id),
        OutboxState.SENT: _("Message %(id)s is sent: not discarded.", id=message_id),
        OutboxState.DISCARDED: _("Message %(id)s is discarded: not discarded.", id=message_id),
    }[state]


def _waiting_or_failed(message_id, refusal):
    """The message, if it is pending or failed; RuleError saying why not otherwise, with
    refusal(message_id, state): one whole sentence per state, as translators need."""
    message = queries.get_message(message_id)
    if message is None:
        raise RuleError(_("There is no message %(id)s.", id=message_id))
    if message.state not in (OutboxState.FAILED, OutboxState.PENDING):
        raise RuleError(refusal(message_id, message.state))
    return message


def retry_message(message_id):
    """Give a failed (or waiting) message a fresh set of attempts, starting now."""
    message = _waiting_or_failed(message_id, _not_retried)
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow() + configured_seconds("OUTBOX_REQUEUE_AFTER")
    db.session.flush()
    enqueue_after_commit(DELIVER_EMAIL, message.id, swept=True, job_timeout=delivery_timeout())
    return message


def discard_message(message_id):
    """Give up on a pending or failed message; the row stays as a record."""
    message = _waiting_or_failed(message_id, _not_discarded)
    message.state = OutboxState.DISCARDED
    db.session.flush()
    return message
