"""Migration 0021_event_search_by_trigger: events.search_text is written by a trigger when
the title or description is, no longer computed again by every UPDATE of the row, so an
update of the counters (every RSVP) stays on the row's page without touching the event's
indexes (a HOT update). On a scratch PostgreSQL database, from 0020 up and down: there
the table holds one row, so its page has room for the update whatever other tests wrote.
"""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.support.other_apps import app_like
from webapp.extensions import db

pytestmark = pytest.mark.postgres

BEFORE, AFTER = "0020_live_versions", "0021_event_search_by_trigger"
# Long enough that PostgreSQL stores the texts compressed (a row over about 2 kB): the
# case in which the recomputed text looked changed.
DESCRIPTION = "Bring a blanket and something to share. " * 80


def _insert_a_group_and_an_event(connection):
    connection.execute(
        sa.text(
            "INSERT INTO groups (id, name, slug, description, description_html, summary,"
            " visibility, join_policy, created_at) VALUES"
            " (7, 'Bees', 'bees', '', '', '', 'public', 'open', now())"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO events (id, group_id, title, slug, description, description_html,"
            " venue, address, online_url, starts_at, ends_at, time_zone, status, created_at,"
            " updated_at) VALUES (3, 7, 'Hive Day', 'hive-day', :description, :description,"
            " '', '', '', now() + interval '1 day', now() + interval '2 days', 'UTC',"
            " 'published', now(), now())"
        ),
        {"description": DESCRIPTION},
    )


def _search_text(connection, event_id=3):
    return connection.execute(
        sa.text("SELECT search_text FROM events WHERE id = :id"), {"id": event_id}
    ).scalar()


def _updates_of_events(connection):
    """(updates, HOT updates) of events in the current transaction."""
    return tuple(
        connection.execute(
            sa.text(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
                " WHERE relname = 'events'"
            )
        ).one()
    )


def _an_answer_is_a_hot_update(connection, event_id=3):
    """Write what an RSVP writes (the counters and the panel's version, nothing else) in
    the current transaction, its first update of events: whether it was a HOT update."""
    connection.execute(
        sa.text(
            "UPDATE events SET going_count = going_count + 1,"
            " places_taken = places_taken + 1, rsvp_version = rsvp_version + 1,"
            " updated_at = now() WHERE id = :id"
        ),
        {"id": event_id},
    )
    return _updates_of_events(connection) == (1, 1)


def _is_generated(connection):
    return (
        connection.execute(
            sa.text(
                "SELECT attgenerated FROM pg_attribute"
                " WHERE attrelid = 'events'::regclass AND attname = 'search_text'"
            )
        ).scalar()
        == "s"
    )


def test_the_search_text_is_kept_by_a_trigger_and_an_answer_leaves_the_indexes_alone(
    app, scratch_database
):
    settings = {"SQLALCHEMY_DATABASE_URI": scratch_database, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    expected = ("hive day " + DESCRIPTION).lower()
    with app_like(app, **settings) as scratch, scratch.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_a_group_and_an_event(connection)
            assert _search_text(connection) == expected

        upgrade(revision=AFTER)
        with db.engine.begin() as connection:
            assert not _is_generated(connection)
            assert _search_text(connection) == expected
            compressed = connection.execute(
                sa.text("SELECT pg_column_compression(search_text) FROM events WHERE id = 3")
            ).scalar()
            assert compressed is not None

            assert _an_answer_is_a_hot_update(connection)

        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE events SET title = 'Honey Day' WHERE id = 3"))
            assert _search_text(connection) == ("honey day " + DESCRIPTION).lower()
            connection.execute(sa.text("UPDATE events SET description = 'Jars' WHERE id = 3"))
            assert _search_text(connection) == "honey day jars"
            # Written directly, it is written right all the same.
            connection.execute(sa.text("UPDATE events SET search_text = 'wasps' WHERE id = 3"))
            assert _search_text(connection) == "honey day jars"
            connection.execute(
                sa.text(
                    "INSERT INTO events (id, group_id, title, slug, description,"
                    " description_html, venue, address, online_url, starts_at, ends_at,"
                    " time_zone, status, created_at, updated_at) VALUES (4, 7, 'Swarm Watch',"
                    " 'swarm-watch', 'At DUSK', '', '', '', '', now() + interval '1 day',"
                    " now() + interval '2 days', 'UTC', 'published', now(), now())"
                )
            )
            assert _search_text(connection, 4) == "swarm watch at dusk"

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert _is_generated(connection)
            assert _search_text(connection) == "honey day jars"
            assert _search_text(connection, 4) == "swarm watch at dusk"
            indexes = sa.inspect(connection).get_indexes("events")
            assert "ix_events_search_trgm" in {index["name"] for index in indexes}
