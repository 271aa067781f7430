"""Benchmark instruments, mounted only when their environment variables ask for them.

HEARTH_BENCH_BASELINE=1 mounts /_bench/baseline: the site's layout plus one indexed 20-row
query, Hearth's cheapest page, measured in the same workers as the real pages; and beside
Hearth, at /_stack/, the same page by a minimal Flask app with none of Hearth's own work
(stack_baseline.py).
HEARTH_BENCH_COUNT_QUERIES=1 counts the SQL statements of each request and answers them
in an X-Hearth-Queries header. Neither exists otherwise (tests/operations/test_bench_tools.py).
"""

import contextvars
import os

import sqlalchemy as sa
from flask import Blueprint, Flask, render_template
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from webapp.extensions import db
from webapp.operations.stack_baseline import ENGINE as STACK_ENGINE
from webapp.operations.stack_baseline import stack_app

QUERY_COUNT_HEADER = "X-Hearth-Queries"
STACK_PREFIX = "/_stack"
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
        engines = [db.engine]
    if (stack := app.extensions.get("stack_app")) is not None:
        engines.append(stack.extensions[STACK_ENGINE])

    def _count(conn, cursor, statement, parameters, context, executemany):
        counter = _statements.get()
        if counter is not None:
            counter[0] += 1

    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", _count)

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
        # The stack alone, beside Hearth in the same workers (stack_baseline.py).
        stack = stack_app(app.config["SQLALCHEMY_DATABASE_URI"])
        app.extensions["stack_app"] = stack
        app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {STACK_PREFIX: stack})
    if enabled(app, "HEARTH_BENCH_COUNT_QUERIES"):
        count_queries(app)
