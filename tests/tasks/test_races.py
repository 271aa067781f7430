"""Requests at the same moment, over HTTP, each in a thread with its own app context and
database session, against PostgreSQL: members taking one open task at once (exactly one
gets it, the others hear so kindly), and a double post of feedback (one row; the loser
gets the form to edit it). Never a 500."""

import pytest

from tests.support.races import logged_in_clients, post_at_once, tabs_of
from tests.tasks.factories import feedback_rows, going, make_party, make_task, tasks_of
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.extensions import db

# SQLite runs one write at a time, so the races cannot happen there.
pytestmark = pytest.mark.postgres

TAKERS = 8


@pytest.fixture
def crowd(app):
    with app.app_context():
        party = make_party(members=TAKERS)
        task = make_task(db.session.get(Event, party.event_id), title="Bring the cake")
        return party, task.id


def test_members_taking_one_task_at_once_one_wins(app, crowd):
    party, task_id = crowd
    clients = logged_in_clients(app, party.members)
    statuses = post_at_once(clients, f"/tasks/{task_id}/take", {})
    assert sorted(statuses) == [303] + [422] * (TAKERS - 1)
    winner = party.member_ids[statuses.index(303)]
    with app.app_context():
        (task,) = tasks_of(party.event_id)
        assert task.assignee_id == winner
    loser = clients[statuses.index(422)]
    page = loser.get(f"/events/{party.event_id}/tasks").text
    assert "Take it" not in page


def test_a_loser_hears_who_was_faster(app, crowd):
    party, task_id = crowd
    clients = logged_in_clients(app, party.members[:2])
    statuses = post_at_once(clients, f"/tasks/{task_id}/take", {})
    assert sorted(statuses) == [303, 422]
    loser = clients[statuses.index(422)]
    response = loser.submit(f"/tasks/{task_id}/take", htmx=True)
    assert response.status_code == 422
    assert "Someone else has just taken this task" in response.text
    assert f'id="task-{task_id}"' in response.text


@pytest.fixture
def was_going(app):
    with app.app_context():
        party = make_party(members=1, ended=True)
        event = db.session.get(Event, party.event_id)
        going(event, db.session.get(User, party.member_ids[0]))
        return party


def test_a_double_post_of_feedback_makes_one_row(app, was_going):
    party = was_going
    tabs = tabs_of(app, party.members[0], 2)
    statuses = post_at_once(
        tabs, f"/events/{party.event_id}/feedback", lambda i: {"rating": str(4 + i)}
    )
    with app.app_context():
        rows = feedback_rows(party.event_id)
    assert len(rows) == 1
    # Both arrived before either row existed: one inserted, the other hit the constraint
    # and got the form to edit; or the second saw the first and changed it.
    assert sorted(statuses) in ([303, 303], [303, 422])


def test_the_loser_of_the_insert_gets_the_edit_form(app, was_going, monkeypatch):
    """The losing insert, made certain: the row appears between the check and the insert."""
    from webapp.feedback import services

    party = was_going
    client = tabs_of(app, party.members[0], 1)[0]
    real = services.feedback_of

    def someone_else_was_faster(user, event):
        found = real(user, event)
        if found is None:
            with app.app_context(), db.engine.begin() as connection:
                connection.execute(
                    services.Feedback.__table__.insert().values(
                        event_id=event.id,
                        user_id=user.id,
                        rating=2,
                        comment="From the other tab",
                        created_at=event.ends_at,
                        updated_at=event.ends_at,
                    )
                )
        return found

    monkeypatch.setattr(services, "feedback_of", someone_else_was_faster)
    response = client.submit(f"/events/{party.event_id}/feedback", {"rating": "5"})
    assert response.status_code == 422
    assert "saved a moment ago" in response.text
    assert "From the other tab" in response.text and "Save my feedback" in response.text
    with app.app_context():
        assert [row.rating for row in feedback_rows(party.event_id)] == [2]
