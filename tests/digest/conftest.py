"""The digest's world: a group whose members live in Auckland, Madrid and New York, the
digest sweep on (it is off in other tests) and a clock of the tests' own."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group

# A Monday. 08:00 is 19:00 UTC the day before in Auckland (UTC+13 in summer), 07:00 UTC in
# Madrid (UTC+1) and 13:00 UTC in New York (UTC-5).
MONDAY = datetime(2026, 11, 30, tzinfo=UTC)
EIGHT_AM = {
    "auckland": MONDAY - timedelta(hours=5),
    "madrid": MONDAY + timedelta(hours=7),
    "new_york": MONDAY + timedelta(hours=13),
}
ZONES = {
    "auckland": "Pacific/Auckland",
    "madrid": "Europe/Madrid",
    "new_york": "America/New_York",
}


@pytest.fixture
def digests_on(app):
    app.config["DIGESTS"] = True
    yield
    app.config["DIGESTS"] = False


@pytest.fixture
def world(app, digests_on):
    """Three members in three zones (created in an order unlike their zones' 08:00s), an
    organiser in UTC, and an event published the week before, a fortnight ahead."""
    with app.app_context():
        organiser = make_user(email="organiser@example.org", first_name="Olu")
        group = make_group(organiser, name="Walkers", slug="walkers")
        people = {}
        for who in ("new_york", "auckland", "madrid"):
            person = make_user(email=f"{who}@example.org", time_zone=ZONES[who], first_name=who)
            add_member(group, person)
            people[who] = person.id
        event = make_event(group, title="Lantern walk", starts_at=MONDAY + timedelta(days=14))
        event.published_at = MONDAY - timedelta(days=3)
        from webapp.extensions import db

        db.session.commit()
        return SimpleNamespace(
            group_id=group.id,
            slug=group.slug,
            organiser_id=organiser.id,
            people=people,
            event_id=event.id,
        )
