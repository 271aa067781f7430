"""Who may change an agenda: every agenda route x every kind of person -> status, for an
event in a public group, in a private group, a draft and a cancelled event.

The harness is tests/support/authz.py: a new agenda route without a row here fails
test_every_route_has_a_row, and a refused request must leave every table as it was.
Only the event's organisers, its co-host and site admins edit its agenda. Those who may not even see
the event get 404 (a private group's, or a draft); those who see it get 403. A cancelled
event's agenda is read-only, for organisers too.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.agenda.factories import make_session, make_weekend, session_form
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.database.times import utcnow
from webapp.events.models import EventStatus

PREFIXES = ("events.agenda.",)
WORLDS = ("public", "private", "draft", "cancelled")


def answers(ok):
    """One line per world, in the order of ROLES: visitor outsider pending member cohost
    organiser owner admin; ok is what the organisers (and the event's co-host) get."""
    return (
        f"login 403 403 403 {ok} {ok} {ok} {ok}",
        f"login 404 404 403 {ok} {ok} {ok} {ok}",
        f"login 404 404 404 {ok} {ok} {ok} {ok}",
        "login 403 403 403 403 403 403 403",
    )


# (endpoint, method): answers per world. A session's row as a page is the event page at
# that session (303); every change answers 303 without JavaScript.
TABLE = {
    ("events.agenda.new", "GET"): answers(200),
    ("events.agenda.add", "POST"): answers(303),
    ("events.agenda.show", "GET"): answers(303),
    ("events.agenda.edit", "GET"): answers(200),
    ("events.agenda.edit", "POST"): answers(303),
    ("events.agenda.delete", "GET"): answers(200),
    ("events.agenda.delete", "POST"): answers(303),
    ("events.agenda.add_speaker_to", "POST"): answers(303),
    ("events.agenda.remove_speaker_from", "POST"): answers(303),
}


class World(NamedTuple):
    event_id: int
    session_id: int
    speaker_id: int


def build_world(kind):
    """An event of kind with one session and its speaker; (owner, group, World)."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    status = {"draft": EventStatus.DRAFT, "cancelled": EventStatus.CANCELLED}.get(
        kind, EventStatus.PUBLISHED
    )
    event = make_weekend(
        group, status=status, cancelled_at=utcnow() if kind == "cancelled" else None
    )
    session = make_session(
        event, "Keynote", "2030-03-30T10:00", "2030-03-30T11:00", "Hall", [("Ada", "")]
    )
    return owner, group, World(event.id, session.id, session.speakers[0].id)


def _session_url(w, rest=""):
    return f"/events/{w.event_id}/agenda/sessions/{w.session_id}{rest}"


# What each route is sent: a well-formed request, so a refusal can only be about who asks.
REQUESTS = {
    ("events.agenda.new", "GET"): lambda w: (f"/events/{w.event_id}/agenda/sessions/new", None),
    ("events.agenda.add", "POST"): lambda w: (
        f"/events/{w.event_id}/agenda/sessions",
        session_form("Workshop", "2030-03-30T12:00", "2030-03-30T13:00", "Lab"),
    ),
    ("events.agenda.show", "GET"): lambda w: (_session_url(w), None),
    ("events.agenda.edit", "GET"): lambda w: (_session_url(w, "/edit"), None),
    ("events.agenda.edit", "POST"): lambda w: (
        _session_url(w, "/edit"),
        session_form(
            "Keynote", "2030-03-30T10:00", "2030-03-30T11:30", "Hall", f"session-{w.session_id}"
        ),
    ),
    ("events.agenda.delete", "GET"): lambda w: (_session_url(w, "/delete"), None),
    ("events.agenda.delete", "POST"): lambda w: (_session_url(w, "/delete"), {}),
    ("events.agenda.add_speaker_to", "POST"): lambda w: (
        _session_url(w, "/speakers"),
        {f"speaker-{w.session_id}-name": "Grace", f"speaker-{w.session_id}-bio": "Compilers."},
    ),
    ("events.agenda.remove_speaker_from", "POST"): lambda w: (
        _session_url(w, f"/speakers/{w.speaker_id}/remove"),
        {},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "world", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_change_an_agenda(
    app, client, shared_world, endpoint, method, world, role, expected
):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, world, role, expected
    )


def test_one_events_organiser_cannot_reach_another_events_sessions(app, client, auth):
    with app.app_context():
        owner = make_user()
        mine = make_weekend(make_group(owner), title="Mine")
        _, _, theirs = build_world("public")
        email, my_event = owner.email, mine.id
    auth.login(email)
    base = f"/events/{my_event}/agenda/sessions/{theirs.session_id}"

    for url, data in [
        (f"{base}/edit", session_form("Mine now", "2030-03-30T10:00", "2030-03-30T11:00")),
        (f"{base}/delete", {}),
        (f"{base}/speakers", {f"speaker-{theirs.session_id}-name": "Eve"}),
        (f"{base}/speakers/{theirs.speaker_id}/remove", {}),
    ]:
        assert client.submit(url, data).status_code == 404, url
    assert client.get(f"{base}/edit").status_code == 404
