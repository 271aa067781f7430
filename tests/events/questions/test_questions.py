"""Questions through HTTP: organisers add up to five to an event (refused beside the field
past that, or when empty) and delete them with their answers; people going, waiting or
maybe answer them on the event's page or a page of their own, a required one needed from
those going (422 beside it, nothing lost), and nobody else may; organisers read each
answer on the questions page and in the attendee CSV; the data download holds one's own.
The person answering has a higher id than the organiser and the event is not the group's
first, so nothing passes by order or identity."""

import re

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error, html
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

GOING = {"answer": "going", "guests": "0"}


def build(app):
    """The Walkers' second event; Ada (going) and Bo (a member who has not answered)."""
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner, name="Walkers")
        make_event(group, title="First walk")
        event = make_event(group, title="Night walk", capacity=10)
        ada = make_user(email="ada@example.org", first_name="Ada")
        bo = make_user(email="bo@example.org", first_name="Bo")
        for person in (ada, bo):
            add_member(group, person)
        answer_event(ada, event, Answer.GOING, 0)
        db.session.commit()
        return event.id, ada.id


def questions(app, event_id):
    with app.app_context():
        return db.session.execute(
            sa.select(EventQuestion.text, EventQuestion.required)
            .where(EventQuestion.event_id == event_id)
            .order_by(EventQuestion.id)
        ).all()


def answers(app):
    with app.app_context():
        return db.session.execute(
            sa.select(QuestionAnswer.user_id, QuestionAnswer.text).order_by(
                QuestionAnswer.question_id
            )
        ).all()


def add(client, event_id, text, required=False, htmx=False):
    data = {"text": text, **({"required": "y"} if required else {})}
    return client.submit(f"/events/{event_id}/questions", data, htmx=htmx)


def ids_of(app, event_id):
    with app.app_context():
        return db.session.scalars(
            sa.select(EventQuestion.id)
            .where(EventQuestion.event_id == event_id)
            .order_by(EventQuestion.id)
        ).all()


def test_organisers_add_up_to_five_questions_and_delete_them(app):
    event_id, _ada = build(app)
    olu = logged_in(app, "olu@example.org")
    assert add(olu, event_id, "  Any   allergies? ", required=True).status_code == 303
    response = add(olu, event_id, "T-shirt size?", htmx=True)
    assert response.status_code == 200 and 'id="event-questions-manage"' in response.text
    for number in range(3):
        assert add(olu, event_id, f"Question {number}?").status_code == 303
    assert questions(app, event_id)[0] == ("Any allergies?", True)

    sixth = add(olu, event_id, "One more?")
    assert sixth.status_code == 422
    assert field_error(sixth, "text") == "An event asks at most 5 questions."
    empty = add(olu, event_id, "   ")
    assert empty.status_code == 422 and field_error(empty, "text") == "Write the question."
    assert len(questions(app, event_id)) == 5
    with app.app_context():
        assert db.session.get(Event, event_id).has_questions

    first = ids_of(app, event_id)[0]
    deleted = olu.submit(f"/events/{event_id}/questions/{first}/delete")
    assert deleted.status_code == 303
    assert "is deleted" in html(olu.get(deleted.location))
    assert questions(app, event_id)[0] == ("T-shirt size?", False)


def test_people_going_answer_and_a_required_question_needs_an_answer(app):
    event_id, ada_id = build(app)
    olu = logged_in(app, "olu@example.org")
    add(olu, event_id, "Any allergies?", required=True)
    add(olu, event_id, "T-shirt size?")
    allergies, size = ids_of(app, event_id)
    ada = logged_in(app, "ada@example.org")

    page = html(ada.get(f"/events/{event_id}", follow_redirects=True))
    assert "The organisers ask" in page and "Any allergies?" in page
    assert f'href="/events/{event_id}/answers"' in page

    missing = ada.submit(
        f"/events/{event_id}/answers",
        {f"question-{allergies}": "", f"question-{size}": "M"},
        htmx=True,
    )
    assert missing.status_code == 422
    assert field_error(missing, f"question-{allergies}") == (
        "The organisers need an answer to this."
    )
    assert "M</textarea>" in missing.text  # what was typed is kept
    assert answers(app) == []

    saved = ada.submit(
        f"/events/{event_id}/answers",
        {f"question-{allergies}": "Hazelnuts", f"question-{size}": "M"},
    )
    assert saved.status_code == 303
    assert answers(app) == [(ada_id, "Hazelnuts"), (ada_id, "M")]
    again = html(ada.get(f"/events/{event_id}", follow_redirects=True))
    assert "Hazelnuts</textarea>" in again

    # Organisers read them on the questions page and in the CSV.
    page = html(olu.get(f"/events/{event_id}/questions"))
    assert re.search(r"Ada[^<]*</span> <span>Hazelnuts</span>", page)
    rows = olu.get(f"/events/{event_id}/attendees.csv").text.splitlines()
    assert rows[0].endswith("Any allergies?,T-shirt size?")
    assert rows[1].endswith("Hazelnuts,M")


def test_only_those_who_answered_the_event_may_answer_its_questions(app):
    event_id, _ada = build(app)
    olu = logged_in(app, "olu@example.org")
    add(olu, event_id, "Any allergies?")
    (question,) = ids_of(app, event_id)
    bo = logged_in(app, "bo@example.org")
    assert "The organisers ask" not in html(bo.get(f"/events/{event_id}", follow_redirects=True))
    response = bo.submit(f"/events/{event_id}/answers", {f"question-{question}": "None"})
    assert response.status_code == 303
    assert "Answer the event first" in html(bo.get(response.location))
    assert answers(app) == []

    # Maybe is enough to answer; a required question is not needed from them.
    bo.submit(f"/events/{event_id}/rsvp", {"answer": "maybe", "guests": "0"})
    assert bo.submit(f"/events/{event_id}/answers", {f"question-{question}": ""}).status_code == 303


def test_an_overlong_answer_is_refused_beside_its_question(app):
    event_id, _ada = build(app)
    add(logged_in(app, "olu@example.org"), event_id, "Anything else?")
    (question,) = ids_of(app, event_id)
    ada = logged_in(app, "ada@example.org")
    response = ada.submit(f"/events/{event_id}/answers", {f"question-{question}": "x" * 501})
    assert response.status_code == 422
    assert field_error(response, f"question-{question}")
    assert answers(app) == []
