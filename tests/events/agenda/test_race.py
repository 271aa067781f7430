"""Organisers saving at the same moment: the event's row lock decides them one after the
other, so two sessions never end up at once in one room and a session never gets more
than its speakers' limit. The losers get the form back with the reason (422), never a 500.
"""

import itertools

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.agenda.factories import make_session, make_weekend, session_form
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once
from webapp.events.agenda.models import AgendaSession, Speaker
from webapp.extensions import db

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

ROUNDS = 5


@pytest.fixture
def organisers(app):
    """Two organisers of one weekend event: (event id, [client, client])."""
    with app.app_context():
        owner = make_user()
        colleague = make_user()
        group = make_group(owner)
        add_member(group, colleague, role="organiser")
        event_id = make_weekend(group).id
        emails = owner.email, colleague.email
    return event_id, logged_in_clients(app, emails)


def test_two_overlapping_sessions_added_at_once_in_one_room_one_is_refused(app, organisers):
    event_id, clients = organisers
    url = f"/events/{event_id}/agenda/sessions"
    for number in range(ROUNDS):
        hour = 9 + number * 2
        first = session_form(
            f"Talk {number}a", f"2030-03-30T{hour:02d}:00", f"2030-03-30T{hour + 1:02d}:00", "Hall"
        )
        # Overlapping by half an hour, the room spelled another way.
        second = session_form(
            f"Talk {number}b", f"2030-03-30T{hour:02d}:30", f"2030-03-30T{hour + 1:02d}:30", " hall"
        )

        statuses = post_at_once(clients[:2], url, [first, second].__getitem__)

        assert sorted(statuses) == [303, 422], statuses
    with app.app_context():
        stored = db.session.execute(
            sa.select(AgendaSession.starts_at, AgendaSession.ends_at).order_by(
                AgendaSession.starts_at
            )
        ).all()
    assert len(stored) == ROUNDS
    for earlier, later in itertools.pairwise(stored):
        assert earlier.ends_at <= later.starts_at


def test_speakers_added_at_once_stop_at_the_limit(app, organisers):
    event_id, clients = organisers
    with app.app_context():
        from webapp.events.models import Event

        event = db.session.get(Event, event_id)
        speakers = [(f"Speaker {n}", "") for n in range(7)]
        session_id = make_session(
            event, "Panel", "2030-03-30T10:00", "2030-03-30T11:00", "Hall", speakers
        ).id
    url = f"/events/{event_id}/agenda/sessions/{session_id}/speakers"
    six = [clients[n % 2] for n in range(6)]

    statuses = post_at_once(six, url, lambda n: {f"speaker-{session_id}-name": f"Guest {n}"})

    assert sorted(statuses) == [303] * 3 + [422] * 3, statuses
    with app.app_context():
        positions = db.session.scalars(
            sa.select(Speaker.position)
            .where(Speaker.session_id == session_id)
            .order_by(Speaker.position)
        ).all()
    assert positions == list(range(1, 11))
