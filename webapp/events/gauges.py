"""Events' gauge for /metrics: people's answers to events not deleted, from the counters
each event keeps."""

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from webapp.events.models import Event
from webapp.extensions import db


def answer_gauges():
    going, waitlisted, maybe = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Event.going_count), 0),
            sa.func.coalesce(sa.func.sum(Event.waitlist_count), 0),
            sa.func.coalesce(sa.func.sum(Event.maybe_count), 0),
        ).where(Event.deleted_at.is_(None))
    ).one()
    rsvps = GaugeMetricFamily(
        "hearth_rsvps", "People's answers to events not deleted.", labels=["answer"]
    )
    for answer, count in (("going", going), ("waitlisted", waitlisted), ("maybe", maybe)):
        rsvps.add_metric([answer], count)
    yield rsvps
