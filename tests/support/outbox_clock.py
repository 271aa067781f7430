"""Time passing for the outbox, without waiting for it: every row's times move back by as
much, then the sweep queues what is due then, as a worker's sweep would."""

import sqlalchemy as sa

from webapp.extensions import db
from webapp.outbox.models import OutboxMessage
from webapp.outbox.recovery import sweep

MOVED = ("created_at", "next_attempt_at", "claimed_at", "sent_at")


def pass_time(app, delta):
    """As if delta had passed since every outbox row was written (and sent): the outbox
    compares its rows' times with now, so moving them back is moving now on."""
    with app.app_context():
        for message in db.session.scalars(sa.select(OutboxMessage)):
            for name in MOVED:
                if getattr(message, name) is not None:
                    setattr(message, name, getattr(message, name) - delta)
        db.session.commit()
        sweep()
