"""The outbox's jobs, queued by their dotted names: deliver one message, or some of a send
to many; sweep them all."""

from webapp.jobs import app_context
from webapp.outbox.recovery import sweep
from webapp.outbox.services import deliver, deliver_many


def deliver_email(message_id):
    """Send one outbox message (by row id) unless it was already sent or is being sent."""
    with app_context():
        return deliver(message_id)


def deliver_emails(message_ids):
    """Send some messages of a send to many, in turn (deliver_many)."""
    with app_context():
        return deliver_many(message_ids)


def sweep_outbox():
    """Queue what is pending and due in the outbox (also run by every HearthWorker)."""
    with app_context():
        return sweep()
