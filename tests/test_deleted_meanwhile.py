"""A row deleted between a request reading it and its rule locking it (polls and tasks are
deleted for good): every action on it answers 404, as it would have a moment later, never
a 500, and writes nothing. The deletion is made to land at that very moment: just before
the lock's statement, from another connection, committed."""

import contextlib

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.polls.factories import make_poll, option_ids
from tests.polls.support import group_with_people, logged_in
from tests.support.engine_events import listening
from tests.tasks.factories import make_task
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollOption, Vote
from webapp.polls.result_mail import mail_results
from webapp.tasks.models import Task


def _locks(statement, table):
    """statement is lock_row's for table: FOR UPDATE on PostgreSQL, the no-op UPDATE that
    takes SQLite's write lock there."""
    words = " ".join(statement.lower().split())
    on_postgresql = f"from {table} " in words and words.endswith("for update")
    on_sqlite = words.split()[:2] == ["update", table] and "set id = id" in words
    return on_postgresql or on_sqlite


@contextlib.contextmanager
def deleted_before_lock(app, model, row_id):
    """While the block runs, the first lock of model's table deletes row row_id first."""
    table = model.__tablename__
    deleted = []

    def delete_first(conn, cursor, statement, parameters, context, executemany):
        if deleted or not _locks(statement, table):
            return
        deleted.append(row_id)
        with db.engine.connect() as other:
            other.execute(sa.delete(model).where(model.id == row_id))
            other.commit()

    with app.app_context():
        engine = db.engine
    with listening(engine, "before_cursor_execute", delete_first):
        yield deleted


@pytest.fixture
def poll(app):
    """An open poll (Park, Pub, Lake) of a group with two members; (people, poll id, options)."""
    with app.app_context():
        people = group_with_people(2)
        made = make_poll(db.session.get(Group, people.group_id), labels=("Park", "Pub", "Lake"))
        return people, made.id, option_ids(made)


POLL_ACTIONS = {
    "vote": ("member", "/vote", lambda options: {"option": options[0]}),
    "add an option": ("owner", "/manage/options", lambda options: {"new_option-label": "Dock"}),
    "remove an option": ("owner", "/manage/options/{2}/remove", lambda options: {}),
    "close": ("owner", "/manage/close", lambda options: {}),
    "delete": ("owner", "/manage/delete", lambda options: {}),
}


@pytest.mark.parametrize("action", list(POLL_ACTIONS))
def test_an_action_on_a_poll_deleted_meanwhile_is_not_found(app, poll, action):
    people, poll_id, options = poll
    who, path, data = POLL_ACTIONS[action]
    client = logged_in(app, people.members[0] if who == "member" else people.owner)
    url = f"/polls/{poll_id}" + path.format(*options)

    with deleted_before_lock(app, Poll, poll_id) as deleted:
        response = client.submit(url, data(options))

    assert deleted == [poll_id]
    assert response.status_code == 404
    with app.app_context():
        for model in (PollOption, Vote):
            count = sa.select(sa.func.count()).where(model.poll_id == poll_id)
            assert db.session.scalar(count) == 0


def test_a_result_job_for_a_poll_deleted_meanwhile_mails_nobody(app, poll):
    _, poll_id, _ = poll
    with app.app_context():
        db.session.get(Poll, poll_id).closed_at = utcnow()
        db.session.commit()

    with deleted_before_lock(app, Poll, poll_id) as deleted, app.app_context():
        assert mail_results(poll_id) is None

    assert deleted == [poll_id]


def test_an_edit_of_a_task_deleted_meanwhile_is_not_found(app):
    with app.app_context():
        people = group_with_people(1)
        event = make_event(db.session.get(Group, people.group_id))
        task_id = make_task(db.session.get(Event, event.id), title="Chairs").id
    owner = logged_in(app, people.owner)

    with deleted_before_lock(app, Task, task_id) as deleted:
        response = owner.submit(f"/tasks/{task_id}/manage/edit", {"edit-title": "Tables"})

    assert deleted == [task_id]
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Task, task_id) is None
