"""Per-user limits on the task and feedback routes that write content or mail others:
adding tasks and leaving feedback (RATE_LIMIT_CONTENT), an organiser's edits that mail a
new assignee (RATE_LIMIT_EVENT_NOTICES), and taking or finishing tasks (RATE_LIMIT_ANSWER).
A refused request writes nothing; reading pages is never counted."""

import pytest

from tests.auth.test_protections import assert_too_many
from tests.polls.support import logged_in
from tests.tasks.factories import going, make_party, make_task, tasks_of
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.extensions import db


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_adding_tasks_is_limited_per_user(app, party, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CONTENT", "3 per minute")
    organiser = logged_in(app, party.organiser)
    url = f"/events/{party.event_id}/tasks"
    statuses = [
        organiser.submit(url, {"title": f"Task {n}"}, htmx=htmx).status_code for n in range(3)
    ]
    assert 429 not in statuses
    assert_too_many(organiser.submit(url, {"title": "One too many"}, htmx=htmx))
    with app.app_context():
        assert len(tasks_of(party.event_id)) == 3
    assert organiser.get(url).status_code == 200


def test_edits_that_mail_are_limited(app, party, monkeypatch, mailbox):
    monkeypatch.setitem(app.config, "RATE_LIMIT_EVENT_NOTICES", "2 per minute")
    with app.app_context():
        task_id = make_task(db.session.get(Event, party.event_id), title="Chairs").id
    organiser = logged_in(app, party.organiser)
    edit = f"/tasks/{task_id}/manage/edit"
    for who in party.member_ids:
        form = {"edit-title": "Chairs", "edit-assignee": str(who)}
        assert organiser.submit(edit, form).status_code == 303
    form = {"edit-title": "Chairs", "edit-assignee": str(party.member_ids[0])}
    assert_too_many(organiser.submit(edit, form))
    assert len(mailbox.messages()) == 2


def test_taking_and_finishing_count_as_answers(app, party, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_ANSWER", "2 per minute")
    with app.app_context():
        task_id = make_task(db.session.get(Event, party.event_id), title="Cups").id
    member = logged_in(app, party.members[0])
    assert member.submit(f"/tasks/{task_id}/take").status_code == 303
    assert member.submit(f"/tasks/{task_id}/done").status_code == 303
    assert_too_many(member.submit(f"/tasks/{task_id}/undone"))
    with app.app_context():
        assert tasks_of(party.event_id)[0].done_at is not None


def test_leaving_feedback_is_limited(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CONTENT", "2 per minute")
    with app.app_context():
        party = make_party(members=1, ended=True)
        going(db.session.get(Event, party.event_id), db.session.get(User, party.member_ids[0]))
    member = logged_in(app, party.members[0])
    url = f"/events/{party.event_id}/feedback"
    assert member.submit(url, {"rating": "3"}).status_code == 303
    assert member.submit(url, {"rating": "4"}).status_code == 303
    assert_too_many(member.submit(url, {"rating": "5"}))
