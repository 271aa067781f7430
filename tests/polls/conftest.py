"""What the polls' tests share: a poll of three options in the group of the module's
`people` (each module says who they are)."""

import pytest

from tests.polls.factories import make_poll
from webapp.extensions import db
from webapp.groups.models import Group


@pytest.fixture
def poll(app, people):
    with app.app_context():
        return make_poll(db.session.get(Group, people.group_id), labels=("Park", "Pub", "Beach"))
