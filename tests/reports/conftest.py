"""What the reports' tests share: a group with people, an event and a comment
(factories.make_room)."""

import pytest

from tests.reports.factories import make_room


@pytest.fixture
def room(app):
    with app.app_context():
        return make_room()
