"""SQL statements per request at the door stay few, and the same with 2 people going and
60, some checked in, and as many walk-ins: counted by the benchmark's own counter. The
page reads its session, the counts, the people going and the walk-ins; a search's
fragment no walk-ins. How often members came, on the members page and the group's page,
is one statement for 2 members or 40."""

from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.other_apps import app_like
from tests.support.query_counting import assert_few_and_flat, statements_per_page
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn, WalkIn
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group

BUDGET = 5
PAGES = [
    ("door", "organiser", "/events/{event}/door", False),
    ("door, searched", "organiser", "/events/{event}/door?q=pat", False),
    ("door search as one types", "organiser", "/events/{event}/door?q=pat", True),
]


def grow(app, ids, people):
    with app.app_context():
        group = db.session.get(Group, ids["group"])
        event = db.session.get(Event, ids["event"])
        for number in range(people):
            person = make_user()
            add_member(group, person)
            going(event, person)
            if number % 2:
                db.session.add(CheckIn(event_id=event.id, user_id=person.id))
            db.session.add(WalkIn(event_id=event.id, name=f"Walk-in {number}"))
        db.session.commit()


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user()
        organiser = make_user(email="organiser@example.org")
        group = make_group(owner)
        add_member(group, organiser, role="organiser")
        add_member(group, make_user(email="member@example.org"))
        event = make_event(group, title="Night walk")
        return {"group": group.id, "event": event.id}


@pytest.mark.timeout(120)
def test_statements_at_the_door_stay_few_and_do_not_grow(app, world, monkeypatch):
    assert_few_and_flat(app, monkeypatch, grow, world, {"people": 2}, {"people": 60}, PAGES, BUDGET)


def grow_attendance(app, ids, members):
    """members more members of a group that used its door, each checked in at one of its
    past events."""
    with app.app_context():
        group = db.session.get(Group, ids["group"])
        past = make_event(group, starts_in=-timedelta(days=3))
        for _ in range(members):
            person = make_user()
            add_member(group, person)
            going(past, person)
            db.session.add(CheckIn(event_id=past.id, user_id=person.id))
        group.door_used = True
        db.session.commit()


ATTENDANCE_PAGES = [
    ("members, with how often they came", "organiser", "/groups/{slug}/manage/members", False),
    ("group page, with one's own", "member", "/groups/{slug}", False),
]


@pytest.mark.timeout(120)
def test_how_often_people_came_is_one_statement_however_many(app, world, monkeypatch):
    with app.app_context():
        world = {**world, "slug": db.session.get(Group, world["group"]).slug}
    few, many = {"members": 2}, {"members": 40}
    counts = {}
    for grown in (few, many):
        monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
        with app_like(app) as counting_app:
            grow_attendance(counting_app, world, **grown)
            counts[grown["members"]] = statements_per_page(counting_app, ATTENDANCE_PAGES, world)
    assert counts[2] == counts[40], counts
