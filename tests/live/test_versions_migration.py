"""Migration 0020_live_versions starts the live versions of existing polls and events from
the clock, as new ones start, so that a page showing the first version the row holds is
never taken for one showing an older version Redis had counted up from the clock; and
its downgrade drops the two columns. On a scratch SQLite database, from 0019 up and down.
"""

import time

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.support.other_apps import app_like
from webapp.extensions import db

BEFORE, AFTER = "0019_event_search", "0020_live_versions"


def _insert_a_group_an_event_and_a_poll(connection):
    connection.execute(
        sa.text(
            "INSERT INTO groups (id, name, slug, description, description_html, summary,"
            " visibility, join_policy, created_at) VALUES"
            " (7, 'Bees', 'bees', '', '', '', 'public', 'open', '2026-01-01')"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO events (id, group_id, title, slug, description, description_html,"
            " venue, address, online_url, starts_at, ends_at, time_zone, status, created_at,"
            " updated_at) VALUES (3, 7, 'Hive day', 'hive-day', '', '', '', '', '',"
            " '2026-12-01 10:00:00', '2026-12-01 12:00:00', 'UTC', 'published',"
            " '2026-01-01', '2026-01-01')"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO polls (id, group_id, question, description, description_html, kind,"
            " choice, results_shown, time_zone, created_at, updated_at) VALUES"
            " (5, 7, 'Which field?', '', '', 'plain', 'single', 'at_once', 'UTC',"
            " '2026-01-01', '2026-01-01')"
        )
    )


def _versions(connection):
    return (
        connection.execute(sa.text("SELECT rsvp_version FROM events WHERE id = 3")).scalar(),
        connection.execute(sa.text("SELECT results_version FROM polls WHERE id = 5")).scalar(),
    )


def test_existing_rows_start_their_live_versions_from_the_clock(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.db'}"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    with app_like(app, **settings) as scratch, scratch.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_a_group_an_event_and_a_poll(connection)

        # Versions are the clock in microseconds (webapp.live), as the topics were.
        started = time.time_ns() // 1000
        upgrade(revision=AFTER)
        ended = time.time_ns() // 1000
        with db.engine.connect() as connection:
            event_version, poll_version = _versions(connection)
        assert started <= event_version <= ended
        assert started <= poll_version <= ended

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            inspector = sa.inspect(connection)
            event_columns = {column["name"] for column in inspector.get_columns("events")}
            poll_columns = {column["name"] for column in inspector.get_columns("polls")}
            kept = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
        assert "rsvp_version" not in event_columns
        assert "results_version" not in poll_columns
        assert kept == 1
