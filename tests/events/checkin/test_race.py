"""Two phones at one door checking in the same person at the same moment record one
check-in, and neither gets an error; nor do two undoing it at once. Two walk-ins added at
once for an event's last place: one takes it, the other is refused."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn, WalkIn
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

ROUNDS = 5


def test_two_check_ins_of_one_person_at_once_record_one(app):
    with app.app_context():
        owner = make_user()
        colleague = make_user()
        group = make_group(owner)
        add_member(group, colleague, role="organiser")
        event = make_event(group, title="Night walk")
        people = []
        for _ in range(ROUNDS):
            person = make_user()
            add_member(group, person)
            going(event, person)
            people.append(person.id)
        event_id, emails = event.id, (owner.email, colleague.email)
    clients = logged_in_clients(app, emails)

    for person in people:
        url = f"/events/{event_id}/door/{person}/check-in"
        assert post_at_once(clients, url, lambda _index: {}) == [303, 303]
    with app.app_context():
        rows = db.session.execute(
            sa.select(CheckIn.user_id, sa.func.count()).group_by(CheckIn.user_id)
        ).all()
    assert dict(rows) == dict.fromkeys(people, 1)

    for person in people:
        url = f"/events/{event_id}/door/{person}/undo"
        assert post_at_once(clients, url, lambda _index: {}) == [303, 303]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_two_walk_ins_for_the_last_place_at_once_take_it_once(app):
    with app.app_context():
        owner = make_user()
        colleague = make_user()
        group = make_group(owner)
        add_member(group, colleague, role="organiser")
        event_ids = []
        for _ in range(ROUNDS):
            event = make_event(group, title="Night walk", capacity=2)
            person = make_user()
            add_member(group, person)
            answer_event(person, event, Answer.GOING, 0)
            db.session.commit()
            event_ids.append(event.id)
        emails = (owner.email, colleague.email)
    clients = logged_in_clients(app, emails)

    for event_id in event_ids:
        url = f"/events/{event_id}/door/walk-ins"
        statuses = post_at_once(
            clients, url, lambda index: {"name": f"Walker {index}", "takes_place": "y"}
        )
        assert sorted(statuses) == [303, 422]
    with app.app_context():
        for event_id in event_ids:
            assert db.session.get(Event, event_id).places_taken == 2
            taking = db.session.scalar(
                sa.select(sa.func.count()).where(WalkIn.event_id == event_id, WalkIn.takes_place)
            )
            assert taking == 1
