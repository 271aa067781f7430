"""rules.read_locked: a row read with its lock is not locked again by the same transaction,
and is locked again by the next one."""

import pytest
import sqlalchemy as sa

from tests.events.rsvp.support import event_with_members, statements_run
from webapp.database.unit_of_work import lock_row, read_locked
from webapp.events.models import Event
from webapp.extensions import db


def read_with_lock(event_id):
    statement = (
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    event = db.session.scalar(statement)
    read_locked(event)
    return event


@pytest.mark.postgres
def test_a_row_read_with_its_lock_is_not_locked_again_until_the_transaction_ends(app):
    with app.app_context():
        event = read_with_lock(event_with_members(1).event_id)
        with statements_run(app) as statements:
            lock_row(event, read_again=True)
        assert statements == []
        db.session.commit()
        with statements_run(app) as statements:
            lock_row(event, read_again=True)
        assert len([s for s in statements if s.endswith("FOR UPDATE")]) == 1, statements
        db.session.rollback()


@pytest.mark.postgres
def test_a_savepoint_that_ends_forgets_the_rows_read_with_their_lock(app):
    # Rolled back, a savepoint releases the row locks taken after it began.
    with app.app_context():
        event_id = event_with_members(1).event_id
        db.session.commit()
        savepoint = db.session.begin_nested()
        event = read_with_lock(event_id)
        savepoint.rollback()
        with statements_run(app) as statements:
            lock_row(event)
        assert len([s for s in statements if s.endswith("FOR UPDATE")]) == 1, statements
        db.session.rollback()


def test_on_sqlite_nothing_is_remembered_and_the_lock_is_taken_as_ever(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's write lock")
        event = read_with_lock(event_with_members(1).event_id)
        with statements_run(app) as statements:
            lock_row(event)
        assert any("SET id = id" in statement for statement in statements)
        db.session.rollback()
