"""/metrics in Prometheus' text format: requests by endpoint and status, their latency,
and at each scrape what is waiting (outbox, queue) and how many RSVPs and votes exist.

Under gunicorn each worker process counts its own requests; with PROMETHEUS_MULTIPROC_DIR
set they write them to files there and a scrape, whichever worker answers it, adds them
up (webapp/gunicorn_conf.py empties the folder at start and marks dead workers).

Not public: with METRICS_TOKEN set, only `Authorization: Bearer <token>` reads it; without
one, only a request made on this machine straight to the app (from loopback, through no
proxy). Everyone else gets the 404 of a page that does not exist.
"""

import hmac
import ipaddress
import os
import time

import sqlalchemy as sa
from flask import Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from webapp.extensions import db
from webapp.health import bp

REQUESTS = Counter(
    "hearth_requests",
    "Requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "hearth_request_duration_seconds",
    "Time to answer a request, by endpoint.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
# A request that matched no route is counted under one name: paths are unbounded.
NO_ROUTE = "(no route)"


def multiprocess_dir():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def count(endpoint, method, status, seconds=None):
    """One request answered: by whom, how, and how long it took (when known)."""
    REQUESTS.labels(endpoint, method, str(status)).inc()
    if seconds is not None:
        LATENCY.labels(endpoint).observe(seconds)


def register_metrics(app):
    @app.after_request
    def count_request(response):
        started = g.get("request_started")
        seconds = time.perf_counter() - started if started is not None else None
        count(request.endpoint or NO_ROUTE, request.method, response.status_code, seconds)
        return response


def may_read_metrics():
    token = current_app.config["METRICS_TOKEN"]
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(offered.encode(), token.encode())
    # The peer of the socket, before any proxy header was applied (ProxyFix keeps it).
    peer = request.environ.get("werkzeug.proxy_fix.orig", request.environ).get("REMOTE_ADDR")
    try:
        loopback = ipaddress.ip_address(peer or "").is_loopback
    except ValueError:
        return False
    # A proxy on this machine would make every visitor look local: it says so in a header.
    return loopback and "X-Forwarded-For" not in request.headers


@bp.get("/metrics")
def metrics():
    """The metrics, for Prometheus (see the module's docstring for who may read them)."""
    if not may_read_metrics():
        abort(404)
    if multiprocess_dir():
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    now = CollectorRegistry()
    now.register(StateNow())
    body = generate_latest(requests) + generate_latest(now)
    return Response(body, content_type=CONTENT_TYPE_LATEST)


class StateNow:
    """Gauges read at scrape time: cheap counts, from counters the app keeps or indexes."""

    def collect(self):
        from webapp.events.models import Event
        from webapp.outbox.models import OutboxMessage, OutboxState
        from webapp.polls.models import Poll

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

        voters = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Poll.voter_count), 0)))
        yield GaugeMetricFamily(
            "hearth_poll_voters", "People who voted, summed over polls.", voters
        )
        yield from queue_gauges()


def queue_gauges():
    """The RQ queue's length and its failed jobs; nothing without Redis (jobs run inline)."""
    if not current_app.config["JOBS_ASYNC"]:
        return
    from rq.registry import FailedJobRegistry

    from webapp.jobs import get_queue

    queue = get_queue()
    yield GaugeMetricFamily("hearth_queue_jobs", "Jobs waiting in the queue.", len(queue))
    failed = FailedJobRegistry(queue=queue).count
    yield GaugeMetricFamily("hearth_queue_failed_jobs", "Jobs that failed for good.", failed)
