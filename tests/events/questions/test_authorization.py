"""Who may do what with questions: every route x every kind of person -> status, for an
event in a public group and a private one (tests/support/authz.py). Only the event's
organisers, its co-host and site admins write and delete questions and read the answers;
answering is for members who answered the event (nobody in the table has: they are sent
to answer it first, 303), and those who may not take part are refused, 404 where they may
not see the event. A refused request leaves every table as it was."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.events.questions.models import EventQuestion
from webapp.extensions import db

PREFIXES = ("events.questions.", "events.question_answers.")
WORLDS = ("public", "private")


def answers(ok):
    """A line per world, in the order of ROLES: visitor outsider pending member cohost
    organiser owner admin; ok is what the organisers (and the event's co-host) get."""
    return (
        f"login 403 403 403 {ok} {ok} {ok} {ok}",
        f"login 404 404 403 {ok} {ok} {ok} {ok}",
    )


TABLE = {
    ("events.questions.page", "GET"): answers(200),
    ("events.questions.page", "POST"): answers(303),
    ("events.questions.edit", "GET"): answers(200),
    ("events.questions.edit", "POST"): answers(303),
    ("events.questions.delete", "POST"): answers(303),
    ("events.question_answers.save", "GET"): (
        "login 403 403 303 303 303 303 403",
        "login 404 404 303 303 303 303 403",
    ),
    ("events.question_answers.save", "POST"): (
        "login 403 403 303 303 303 303 403",
        "login 404 404 303 303 303 303 403",
    ),
}


class World(NamedTuple):
    event_id: int
    question_id: int


def build_world(kind):
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    event = make_event(group, title="Night walk")
    question = EventQuestion(event_id=event.id, text="Any allergies?")
    db.session.add(question)
    event.has_questions = True
    db.session.commit()
    return owner, group, World(event.id, question.id)


REQUESTS = {
    ("events.questions.page", "GET"): lambda w: (f"/events/{w.event_id}/questions", None),
    ("events.questions.page", "POST"): lambda w: (
        f"/events/{w.event_id}/questions",
        {"text": "T-shirt size?"},
    ),
    ("events.questions.edit", "GET"): lambda w: (
        f"/events/{w.event_id}/questions/{w.question_id}/edit",
        None,
    ),
    ("events.questions.edit", "POST"): lambda w: (
        f"/events/{w.event_id}/questions/{w.question_id}/edit",
        {"text": "Any allergies at all?", "kind": "text", "shown_to": "attendees"},
    ),
    ("events.questions.delete", "POST"): lambda w: (
        f"/events/{w.event_id}/questions/{w.question_id}/delete",
        {},
    ),
    ("events.question_answers.save", "GET"): lambda w: (f"/events/{w.event_id}/answers", None),
    ("events.question_answers.save", "POST"): lambda w: (
        f"/events/{w.event_id}/answers",
        {f"question-{w.question_id}": "None"},
    ),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "world", "role", "expected"),
    list(cases(TABLE, WORLDS, PREFIXES[0])),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, world, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, world, role, expected
    )
