"""Polls' gauge for /metrics: people who voted, summed over polls (each keeps its count)."""

import sqlalchemy as sa
from prometheus_client.core import GaugeMetricFamily

from webapp.extensions import db
from webapp.polls.models import Poll


def voter_gauges():
    voters = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Poll.voter_count), 0)))
    yield GaugeMetricFamily("hearth_poll_voters", "People who voted, summed over polls.", voters)
