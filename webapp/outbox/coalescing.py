"""Messages that stand for one another: those of one coalesce key (one person's notices of
one event's changes, say). While one waits to be sent (written by add_message with
not_before), the feature that wrote it finds it here and updates it rather than adding
another; a unique index keeps one waiting per key. The feature decides the key, how long
a message waits and how many go out in a day; the outbox keeps the rows.
"""

import sqlalchemy as sa

from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState


def waiting_message(coalesce_key):
    """The message of coalesce_key that waits to be sent, locked until this transaction
    ends (a worker cannot claim it meanwhile), or None."""
    return db.session.scalar(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.coalesce_key == coalesce_key,
            OutboxMessage.state == OutboxState.PENDING,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def send_times(coalesce_key, since):
    """When the messages of coalesce_key went (or started going) since `since`, newest
    first."""
    went = sa.func.coalesce(OutboxMessage.sent_at, OutboxMessage.claimed_at)
    return db.session.scalars(
        sa.select(went)
        .where(
            OutboxMessage.coalesce_key == coalesce_key,
            OutboxMessage.state.in_((OutboxState.SENT, OutboxState.SENDING)),
            went >= since,
        )
        .order_by(went.desc())
    ).all()


def discard_waiting(coalesce_key_prefix, reason):
    """Give up on every waiting message whose coalesce key starts with the prefix (what
    they told is said by another message); returns how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.coalesce_key.startswith(coalesce_key_prefix, autoescape=True),
            OutboxMessage.state == OutboxState.PENDING,
        )
        .values(state=OutboxState.DISCARDED, last_error=reason),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
