"""The outbox's gauge for /metrics: messages not (yet) sent, by state."""

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState


def outbox_gauges():
    waiting = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED)
    counts = dict.fromkeys(waiting, 0)
    counts.update(
        db.session.execute(
            sa.select(OutboxMessage.state, sa.func.count())
            .where(OutboxMessage.state.in_(waiting))
            .group_by(OutboxMessage.state)
        ).all()
    )
    outbox = GaugeMetricFamily(
        "hearth_outbox_messages", "Outbox messages not (yet) sent, by state.", labels=["state"]
    )
    for state, count in counts.items():
        outbox.add_metric([state.value], count)
    yield outbox
