"""What the tasks' tests share: an event with an owner and members (factories.make_party)."""

import pytest

from tests.tasks.factories import make_party


@pytest.fixture
def party(app):
    with app.app_context():
        return make_party(members=2)
