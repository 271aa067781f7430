"""Two phones at one door checking in the same person at the same moment record one
check-in, and neither gets an error; nor do two undoing it at once."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn
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
