"""The stack-only baseline: what Flask, Jinja, SQLAlchemy and PostgreSQL cost for a page
with none of Hearth's own work (no session, no form token, no rate limit, no request id,
no security headers, no log line). A separate minimal Flask app, mounted beside Hearth
at /_stack/ when HEARTH_BENCH_BASELINE=1 (webapp.operations.bench), served by the same
gunicorn workers: a Jinja page about the size of Hearth's baseline, with the same one
indexed 20-row query through SQLAlchemy. `make bench` compares every page with it, and
Hearth's own baseline too: that ratio is the cost of Hearth's plumbing."""

from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template

ROWS = 20
# Where the minimal app keeps its engine, for whoever closes it.
ENGINE = "stack_engine"

_groups = sa.table("groups", sa.column("id"), sa.column("name"), sa.column("slug"))
_FIRST_GROUPS = (
    sa.select(_groups.c.id, _groups.c.name, _groups.c.slug).order_by(_groups.c.id).limit(ROWS)
)


def stack_app(database_url):
    """The minimal app, on an engine of its own for database_url."""
    app = Flask(__name__, template_folder=str(Path(__file__).with_name("stack_templates")))
    engine = app.extensions[ENGINE] = sa.create_engine(database_url, pool_pre_ping=False)

    @app.get("/")
    def page():
        with engine.connect() as connection:
            rows = connection.execute(_FIRST_GROUPS).all()
        return render_template("stack.html", rows=rows)

    return app
