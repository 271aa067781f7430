"""Migration 0030_series_folded on a database that has a series already: its dates stay
listed until the first sweep after the upgrade folds them (the series are made due at
once); down again, every date is listed. On a scratch PostgreSQL database."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.events.test_search_migration import _insert_a_group_and_an_event
from tests.support.other_apps import app_like
from webapp.events.series.folding import sweep_series_folds
from webapp.extensions import db

pytestmark = pytest.mark.postgres

BEFORE, AFTER = "0029_event_series", "0030_series_folded"
LISTED = sa.text(
    "SELECT id FROM events WHERE deleted_at IS NULL AND status = 'published'"
    " AND listing <> 'hidden' ORDER BY id"
)


def _insert_a_weekly_series(connection):
    """Series 5 of group 7, three weekly dates from next week: events 11, 12, 13."""
    connection.execute(
        sa.text(
            "INSERT INTO event_series (id, group_id, rule, first_date, time_zone, starts_time,"
            " duration_minutes, title, description, venue, address, online_url,"
            " guests_allowed, answer_tickets, complete, published_at, created_at, updated_at)"
            " VALUES (5, 7, 'FREQ=WEEKLY;COUNT=3', current_date + 7, 'UTC', '19:00', 60,"
            " 'Quiz', '', '', '', '', 0, 0, true, now(), now(), now())"
        )
    )
    for number, event_id in enumerate((11, 12, 13)):
        connection.execute(
            sa.text(
                "INSERT INTO events (id, group_id, title, slug, description,"
                " description_html, venue, address, online_url, starts_at, ends_at,"
                " time_zone, status, created_at, updated_at, series_id, series_date) VALUES"
                " (:id, 7, 'Quiz', 'quiz', '', '', '', '', '', now() + :later,"
                " now() + :later + interval '1 hour', 'UTC', 'published', now(), now(), 5,"
                " current_date + 7 + :days)"
            ),
            {"id": event_id, "later": f"{7 * (number + 1)} days", "days": 7 * number},
        )


def test_a_series_made_before_is_folded_by_the_first_sweep(app, scratch_database):
    settings = {"SQLALCHEMY_DATABASE_URI": scratch_database, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    with app_like(app, **settings) as scratch, scratch.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_a_group_and_an_event(connection)
            _insert_a_weekly_series(connection)

        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            assert connection.execute(LISTED).scalars().all() == [3, 11, 12, 13]
        # The sweep is today's code, which writes today's tables (the feeds' versions).
        upgrade()
        sweep_series_folds()
        with db.engine.connect() as connection:
            assert connection.execute(LISTED).scalars().all() == [3, 11]

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(LISTED).scalars().all() == [3, 11, 12, 13]
        upgrade(revision=AFTER)
