"""SQL statements per request on the task and feedback pages stay few, and the same with
2 tasks and 40, 1 feedback and 30, and a handful of members and many: counted by the
benchmark's own counter."""

from datetime import date

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.query_counting import assert_few_and_flat
from tests.tasks.factories import ended_event, going, make_feedback, make_task
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group

BUDGET = 6
# (name, who asks, path, htmx)
PAGES = [
    ("tasks page", "visitor", "/events/{event}/tasks", False),
    ("tasks page", "member", "/events/{event}/tasks", False),
    ("tasks page", "organiser", "/events/{event}/tasks", False),
    ("tasks fragment", "member", "/events/{event}/tasks", True),
    ("one task", "member", "/tasks/{task}", True),
    ("edit form", "organiser", "/tasks/{task}/manage/edit", False),
    ("my tasks", "member", "/tasks", False),
    ("my tasks, page 2", "member", "/tasks?page=2&per_page=1", False),
    ("feedback page", "visitor", "/events/{ended}/feedback", False),
    ("feedback page", "member", "/events/{ended}/feedback", False),
    ("feedback page", "organiser", "/events/{ended}/feedback", False),
    ("feedback fragment", "organiser", "/events/{ended}/feedback", True),
    ("event page", "member", "/events/{event}-picnic", False),
]


def grow(app, ids, people, tasks, feedback):
    with app.app_context():
        walkers = db.session.get(Group, ids["walkers"])
        event = db.session.get(Event, ids["event"])
        ended = db.session.get(Event, ids["ended"])
        member = db.session.get(User, ids["member"])
        for _ in range(people):
            add_member(walkers, make_user())
        for number in range(tasks):
            someone = make_user()
            add_member(walkers, someone)
            make_task(event, title=f"Mine {number}", assignee=member, due_on=date(2030, 1, 1))
            make_task(event, title=f"Theirs {number}", assignee=someone, notes="Some notes")
            make_task(event, title=f"Open {number}")
        for number in range(feedback):
            someone = make_user()
            add_member(walkers, someone)
            going(ended, someone)
            make_feedback(ended, someone, 1 + number % 5, f"Comment {number}")


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user()
        member = make_user(email="member@example.org")
        organiser = make_user(email="organiser@example.org")
        walkers = make_group(owner, name="Walkers", slug="walkers")
        add_member(walkers, member)
        add_member(walkers, organiser, role="organiser")
        event = make_event(walkers, title="Picnic")
        ended = ended_event(walkers, title="Last walk")
        going(ended, member)
        task = make_task(event, title="First", assignee=member)
        return {
            "walkers": walkers.id,
            "event": event.id,
            "ended": ended.id,
            "task": task.id,
            "member": member.id,
        }


@pytest.mark.timeout(120)
def test_statements_per_page_stay_few_and_do_not_grow(app, world, monkeypatch):
    small = {"people": 1, "tasks": 2, "feedback": 1}
    big = {"people": 20, "tasks": 13, "feedback": 30}
    assert_few_and_flat(app, monkeypatch, grow, world, small, big, PAGES, BUDGET)
