"""The agenda with its speakers costs one query, the same for 1 session as for 30, and the
event page as a whole costs the same for either."""

import pytest

from tests.accounts.factories import make_user
from tests.events.agenda.factories import make_session, make_weekend
from tests.groups.factories import add_member, make_group
from tests.groups.test_queries import counted_queries


def weekend_with_sessions(how_many):
    """A weekend with how_many sessions of three speakers each; (event id, owner, member)."""
    owner = make_user()
    member = make_user()
    group = make_group(owner)
    add_member(group, member)
    event = make_weekend(group)
    for number in range(how_many):
        hour = 9 + number % 8
        day = 30 + number // 8 % 2
        make_session(
            event,
            f"Session {number}",
            f"2030-03-{day}T{hour:02d}:00",
            f"2030-03-{day}T{hour:02d}:45",
            room=f"Room {number}",
            speakers=[(f"Speaker {number}.{s}", "A short bio.") for s in range(3)],
        )
    return event.id, owner.email, member.email


def agenda_statements(statements):
    """The statements that read sessions or speakers (not the event's page asking whether
    there are any)."""
    return [s for s in statements if "agenda_sessions.title" in s or "speakers.name" in s]


@pytest.mark.parametrize("who", ["visitor", "member", "organiser"])
def test_the_event_page_costs_the_same_for_1_or_30_sessions(app, client, auth, who):
    costs = []
    for how_many in (1, 30):
        with app.app_context():
            event_id, owner, member = weekend_with_sessions(how_many)
        email = {"visitor": None, "member": member, "organiser": owner}[who]
        if email:
            auth.login(email)
        with counted_queries(app) as statements:
            page = client.get(f"/events/{event_id}-maker-weekend")
        assert page.status_code == 200
        assert f"Session {how_many - 1}" in page.get_data(as_text=True)
        assert "Speaker 0.2" in page.get_data(as_text=True)
        assert len(agenda_statements(statements)) == 1, agenda_statements(statements)
        costs.append(len(statements))
        if email:
            auth.logout()
    assert costs[0] == costs[1], f"{costs[0]} queries with 1 session, {costs[1]} with 30"


def test_a_sessions_row_for_htmx_costs_the_same_for_1_or_30_sessions(app, client, auth):
    costs = []
    for how_many in (1, 30):
        with app.app_context():
            event_id, owner, _ = weekend_with_sessions(how_many)
            from webapp.events.agenda.models import AgendaSession
            from webapp.extensions import db

            session_id = db.session.query(AgendaSession.id).filter_by(event_id=event_id).first()[0]
        auth.login(owner)
        with counted_queries(app) as statements:
            row = client.fragment(f"/events/{event_id}/agenda/sessions/{session_id}")
        assert row.status_code == 200
        costs.append(len(statements))
        auth.logout()
    assert costs[0] == costs[1]
