"""The agenda's counts read right for one and for many (plural forms of the catalogue):
sessions left outside the event's time, and the speakers a deleted session takes along."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.events.agenda.factories import berlin, make_session, make_weekend
from tests.groups.factories import make_group
from tests.support.auth import html
from webapp.events.models import Event
from webapp.extensions import db


def text_of(markup):
    return " ".join(re.sub(r"<[^>]+>", "", markup).split())


@pytest.fixture
def weekend(app):
    """The Maker weekend, its organiser logged in elsewhere: three sessions, on Saturday
    (one speaker), Sunday morning (two) and Sunday afternoon (none)."""
    with app.app_context():
        group = make_group(make_user(email="owner@example.org"), name="Makers")
        event = make_weekend(group)
        ids = [
            make_session(event, title, starts, ends, speakers=speakers).id
            for title, starts, ends, speakers in [
                ("Keynote", "2030-03-30T10:00", "2030-03-30T11:00", [("Ada Byron", "")]),
                (
                    "Soldering",
                    "2030-03-31T10:00",
                    "2030-03-31T11:00",
                    [("Grace Hopper", ""), ("Alan Kay", "")],
                ),
                ("Wrap-up", "2030-03-31T15:00", "2030-03-31T16:00", []),
            ]
        ]
        return event.id, ids


def ends_at(app, event_id, text):
    with app.app_context():
        db.session.get(Event, event_id).ends_at = berlin(text)
        db.session.commit()


@pytest.mark.parametrize(
    ("ends", "warning"),
    [
        (
            "2030-03-31T12:00",
            "1 session is outside the event's time now. Only organisers see it: "
            "change the times or delete it.",
        ),
        (
            "2030-03-30T18:00",
            "2 sessions are outside the event's time now. Only organisers see them: "
            "change the times or delete them.",
        ),
    ],
)
def test_sessions_outside_the_events_time(app, client, auth, weekend, ends, warning):
    event_id, _ids = weekend
    ends_at(app, event_id, ends)
    auth.login("owner@example.org")
    page = client.get(f"/events/{event_id}-maker-weekend")
    assert warning in text_of(html(page))


@pytest.mark.parametrize(
    ("index", "question"),
    [
        (0, "It leaves the agenda of Maker weekend, with its 1 speaker. This cannot be undone."),
        (1, "It leaves the agenda of Maker weekend, with its 2 speakers. This cannot be undone."),
        (2, "It leaves the agenda of Maker weekend. This cannot be undone."),
    ],
)
def test_deleting_a_session_says_how_many_speakers_go(client, auth, weekend, index, question):
    event_id, ids = weekend
    auth.login("owner@example.org")
    page = client.get(f"/events/{event_id}/agenda/sessions/{ids[index]}/delete")
    assert question in text_of(html(page))
