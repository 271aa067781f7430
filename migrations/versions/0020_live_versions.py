"""live versions: a poll's results and an event's RSVP panel keep their live version

Revision ID: 0020_live_versions
Revises: 0019_event_search
Create Date: 2026-11-23 18:40:00

A page that showed a poll's results or an event's RSVP panel read the part's live version
from Redis before reading the poll or event: a round trip of its own on every view, a
tenth of the results fragment's time. polls.results_version and events.rsvp_version are
moved on by every change to what the part shows, in the change's transaction, so the
page's statement reads the version with the data, from one snapshot; the version is
published to Redis once the change commits, upwards only (webapp.live).

Existing rows start from the clock, as new ones do: above any version their topics in
Redis hold (those were counted up from the clock too), so that a page showing the new
version is never taken for one showing an old one.
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0020_live_versions"
down_revision = "0019_event_search"
branch_labels = None
depends_on = None

VERSIONED = {"polls": "results_version", "events": "rsvp_version"}


def upgrade():
    start = time.time_ns() // 1000
    for table, column in VERSIONED.items():
        op.add_column(
            table, sa.Column(column, sa.BigInteger(), nullable=False, server_default="0")
        )
        # nosemgrep: sql-from-a-string
        op.execute(sa.text(f"UPDATE {table} SET {column} = :start").bindparams(start=start))  # noqa: S608  # nosec B608


def downgrade():
    for table, column in VERSIONED.items():
        # Not a batch operation: SQLite would copy the table, and the listing triggers of
        # 0012_event_listing name events. SQLite drops a plain column in place.
        # nosemgrep: sql-from-a-string
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # noqa: S608  # nosec B608
