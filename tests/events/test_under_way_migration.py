"""Migration 0024_events_under_way: a GiST index of listed events' spans, for the events
under way at a moment (webapp.events.queries._under_way; tests/events/test_indexes.py
checks a typed page's plan uses it), which leaves an RSVP's update of the counters a HOT
update. On a scratch PostgreSQL database, up and down.
"""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.events.test_search_migration import (
    _an_answer_is_a_hot_update,
    _insert_a_group_and_an_event,
)
from tests.support.other_apps import app_like
from webapp.extensions import db

pytestmark = pytest.mark.postgres

BEFORE, AFTER = "0023_outbox_render_args", "0024_events_under_way"
UNDER_WAY_TOMORROW = sa.text(
    "SELECT id FROM events WHERE deleted_at IS NULL AND status IN ('published', 'cancelled')"
    " AND tstzrange(starts_at, ends_at) @> now() + interval '36 hours'"
)


def _indexes_of_events(connection):
    return {index["name"] for index in sa.inspect(connection).get_indexes("events")}


def test_the_index_of_spans_comes_and_goes_and_an_answer_stays_hot(app, scratch_database):
    settings = {"SQLALCHEMY_DATABASE_URI": scratch_database, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    with app_like(app, **settings) as scratch, scratch.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_a_group_and_an_event(connection)  # from tomorrow to the day after

        upgrade(revision=AFTER)
        with db.engine.begin() as connection:
            assert "ix_events_under_way" in _indexes_of_events(connection)
            assert connection.execute(UNDER_WAY_TOMORROW).scalars().all() == [3]
            assert _an_answer_is_a_hot_update(connection)

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert "ix_events_under_way" not in _indexes_of_events(connection)
            assert connection.execute(UNDER_WAY_TOMORROW).scalars().all() == [3]
