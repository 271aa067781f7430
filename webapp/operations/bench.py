"""Benchmark instruments, mounted only when their environment variables ask for them.

HEARTH_BENCH_BASELINE=1 mounts /_bench/baseline: the site's layout plus one indexed 20-row
query, the practical limit of this stack, measured in the same workers as the real pages.
HEARTH_BENCH_COUNT_QUERIES=1 counts the SQL statements of each request and answers them
in an X-Hearth-Queries header. Neither exists otherwise (tests/operations/test_bench_tools.py).
"""

import contextvars
import os

import sqlalchemy as sa
from flask import Blueprint, Flask, render_template

from webapp.extensions import db

QUERY_COUNT_HEADER = "X-Hearth-Queries"
BASELINE_ROWS = 20

bp = Blueprint("bench", __name__, url_prefix="/_bench", template_folder="templates")


@bp.get("/baseline")
def baseline():
    """The cheapest real page: the layout and 20 groups by primary key (read as a plain
    table: operations import no feature)."""
    groups = sa.table("groups", sa.column("id"), sa.column("name"), sa.column("slug"))
    rows = db.session.execute(
        sa.select(groups.c.id, groups.c.name, groups.c.slug)
        .order_by(groups.c.id)
        .limit(BASELINE_ROWS)
    ).all()
    return render_template("bench/baseline.html", rows=rows)


def enabled(app, name):
    """A setting given to create_app wins; else the environment variable of that name."""
    value = app.config.get(name)
    if value is None:
        value = os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


_statements = contextvars.ContextVar("hearth_bench_statements", default=None)


def count_queries(app):
    """Wrap the app as it stands, middleware included: every statement a request sends is
    counted, also where Flask is not reached (webapp.live.front answers some polls)."""
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        counter = _statements.get()
        if counter is not None:
            counter[0] += 1

    inner = app.wsgi_app

    def counted(environ, start_response):
        # Flask has sent every statement of a request (its commit included) by the time
        # it starts the response.
        counter = [0]
        token = _statements.set(counter)

        def start_with_count(status, headers, exc_info=None):
            headers = [*headers, (QUERY_COUNT_HEADER, str(counter[0]))]
            return start_response(status, headers, exc_info)

        try:
            return inner(environ, start_with_count)
        finally:
            _statements.reset(token)

    app.wsgi_app = counted


def register_bench_tools(app: Flask):
    if enabled(app, "HEARTH_BENCH_BASELINE"):
        app.register_blueprint(bp)
    if enabled(app, "HEARTH_BENCH_COUNT_QUERIES"):
        count_queries(app)
