"""Probes for load balancers and orchestrators."""

import time

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from webapp.database.redis_client import get_redis
from webapp.database.setup import is_dropped_connection
from webapp.extensions import db

bp = Blueprint("health", __name__)


def attach_views():
    """Import the module whose routes attach to bp besides the probes (see create_app)."""
    from webapp.operations import metrics  # noqa: F401


def _timed(check):
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # noqa: BLE001  (any failure means "not ready")
        return {
            "ok": False,
            "error": type(error).__name__,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def _database_answers():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as error:
        if not is_dropped_connection(error):
            raise
        # A connection that died while the pool kept it (a restart between two probes)
        # says nothing of the database now: SQLAlchemy has emptied the pool, ask once more.
        db.session.rollback()
        db.session.execute(sa.text("SELECT 1"))


@bp.get("/healthz")
def healthz():
    """The process is alive; checks nothing else, so it never flaps with a dependency."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database and Redis answer; 503 with the failing one named when not."""
    checks = {
        "database": _timed(_database_answers),
        "redis": _timed(lambda: get_redis().ping()),
    }
    checks["redis"]["mode"] = "redis" if current_app.config["REDIS_URL"] else "in-process"
    ready = all(check["ok"] for check in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
