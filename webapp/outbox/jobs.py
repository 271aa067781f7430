"""The outbox's jobs, queued by their dotted names: deliver one message, sweep them all."""

from webapp.jobs import app_context
from webapp.outbox.services import deliver, sweep


def deliver_email(message_id):
    """Send one outbox message (by row id) unless it was already sent or is being sent."""
    with app_context():
        return deliver(message_id)


def sweep_outbox():
    """Queue what is pending and due in the outbox (also run by every HearthWorker)."""
    with app_context():
        return sweep()
