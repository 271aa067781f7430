"""Reads of the outbox: what the sweep must queue, what an operator looks at."""

import sqlalchemy as sa

from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState


def get_message(message_id):
    return db.session.get(OutboxMessage, message_id)


def messages_in(states, limit=100):
    """Messages in any of states, oldest first."""
    return db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.state.in_([str(state) for state in states]))
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
    ).all()


def due_message_ids(now, limit):
    """Pending messages whose time has come, the longest waiting first."""
    return db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.state == OutboxState.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()


def count_by_state():
    rows = db.session.execute(
        sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    )
    return {OutboxState(state): count for state, count in rows}
