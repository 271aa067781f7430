"""/metrics in Prometheus' text format: requests by endpoint and status, their latency,
and at each scrape what is waiting (outbox, queue) and how many RSVPs and votes exist.

Under gunicorn each worker process counts its own requests; with PROMETHEUS_MULTIPROC_DIR
set they write them to files there and a scrape, whichever worker answers it, adds them
up (webapp/operations/gunicorn_conf.py empties the folder at start and marks dead workers).

Not public: with METRICS_TOKEN set, only `Authorization: Bearer <token>` reads it; without
one, only a request made on this machine straight to the app (from loopback, through no
proxy). Everyone else gets the 404 of a page that does not exist.
"""

import hmac
import ipaddress
import os
import time

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

from webapp.operations.health import bp

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
# Where registered gauges are kept, in app.extensions.
GAUGES = "hearth_gauges"


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


def register_gauges(app, collect):
    """Gauges read at scrape time: collect() yields prometheus metric families. Features
    and shared packages register their own, so this module names none of them."""
    app.extensions.setdefault(GAUGES, []).append(collect)


class StateNow:
    """Gauges read at scrape time: cheap counts, from counters the app keeps or indexes."""

    def collect(self):
        for collect in current_app.extensions.get(GAUGES, ()):
            yield from collect()
