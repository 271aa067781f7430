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


def due_message_ids(now, limit, with_bulk=True):
    """(id, whether of a send to many) of the pending messages whose time has come, the
    longest waiting first; with_bulk=False leaves the sends to many out."""
    statement = (
        sa.select(OutboxMessage.id, OutboxMessage.bulk_key.is_not(None))
        .where(
            OutboxMessage.state == OutboxState.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if not with_bulk:
        statement = statement.where(OutboxMessage.bulk_key.is_(None))
    return [(message_id, bool(bulk)) for message_id, bulk in db.session.execute(statement)]


def counts_of_bulk(bulk_keys):
    """{bulk key: {state: how many}} for the sends to many named."""
    counts = {key: {} for key in bulk_keys}
    if not bulk_keys:
        return counts
    rows = db.session.execute(
        sa.select(OutboxMessage.bulk_key, OutboxMessage.state, sa.func.count())
        .where(OutboxMessage.bulk_key.in_(list(bulk_keys)))
        .group_by(OutboxMessage.bulk_key, OutboxMessage.state)
    )
    for key, state, count in rows:
        counts[key][OutboxState(state)] = count
    return counts


def count_by_state():
    rows = db.session.execute(
        sa.select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state)
    )
    return {OutboxState(state): count for state, count in rows}
