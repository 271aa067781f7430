"""What the announcements' tests share: a group with an owner, an organiser, members and
an outsider, and an event of it (tests.tasks.factories.make_party)."""

import pytest

from tests.tasks.factories import make_party


@pytest.fixture
def party(app):
    with app.app_context():
        return make_party(members=3)
