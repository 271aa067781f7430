"""Benchmark instruments, mounted only when their environment variables ask for them.

HEARTH_BENCH_BASELINE=1 mounts /_bench/baseline: the site's layout plus one indexed 20-row
query, the practical limit of this stack, measured in the same workers as the real pages.
HEARTH_BENCH_COUNT_QUERIES=1 counts the SQL statements of each request and answers them
in an X-Hearth-Queries header. Neither exists otherwise (tests/test_bench_tools.py).
"""

import os

import sqlalchemy as sa
from flask import Blueprint, Flask, g, has_request_context, render_template

from webapp.extensions import db

QUERY_COUNT_HEADER = "X-Hearth-Queries"
BASELINE_ROWS = 20

bp = Blueprint("bench", __name__, url_prefix="/_bench", template_folder="templates")


@bp.get("/baseline")
def baseline():
    """The cheapest real page: the layout and 20 groups by primary key."""
    from webapp.groups.models import Group

    rows = db.session.execute(
        sa.select(Group.id, Group.name, Group.slug).order_by(Group.id).limit(BASELINE_ROWS)
    ).all()
    return render_template("bench/baseline.html", rows=rows)


def enabled(app, name):
    """A setting given to create_app wins; else the environment variable of that name."""
    value = app.config.get(name)
    if value is None:
        value = os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def count_queries(app):
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            g.bench_queries = g.get("bench_queries", 0) + 1

    # Registered after every other hook, so it runs first: before the commit, which sends
    # no statement through a cursor anyway.
    @app.after_request
    def _report(response):
        response.headers[QUERY_COUNT_HEADER] = str(g.get("bench_queries", 0))
        return response


def register_bench_tools(app: Flask):
    if enabled(app, "HEARTH_BENCH_BASELINE"):
        app.register_blueprint(bp)
    if enabled(app, "HEARTH_BENCH_COUNT_QUERIES"):
        count_queries(app)
