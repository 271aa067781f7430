"""Kinds of questions, changing them, and who reads the answers, through HTTP: a question
is answered with a short text, one choice or several (the choices written one per line,
refused beside the field when fewer than two, more than eight, or said twice); a choice
answer is kept in words, in the question's order whatever order the boxes came in;
changing a question never loses an answer (its kind stays once answered, a chosen choice
left out is retired and stays in its person's answer, form and counts); answers to a
question "everyone on the list reads" are on the list of people coming for members, the
others for the organisers alone; people waiting must answer a required question too.

The people answering have higher ids than the organiser, the event is not the group's
first, and choices are chosen out of their order, so nothing passes by order or identity."""

import re

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error, html
from webapp.events.questions.models import EventQuestion, QuestionAnswer, QuestionChoice
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


def build(app, capacity=10):
    """The Walkers' second event; Ada and Cy going (or Cy waiting, at capacity 1), Bo a
    member who has not answered. {"event": id, name: user id}."""
    with app.app_context():
        owner = make_user(email="olu@example.org", first_name="Olu")
        group = make_group(owner, name="Walkers")
        make_event(group, title="First walk")
        event = make_event(group, title="Night walk", capacity=capacity)
        people = {"event": event.id}
        for name in ("Cy", "Bo", "Ada"):
            person = make_user(email=f"{name.lower()}@example.org", first_name=name)
            add_member(group, person)
            people[name] = person.id
        for name in ("Ada", "Cy"):
            answer_event(db.session.get(type(owner), people[name]), event, Answer.GOING, 0)
        db.session.commit()
        return people


def add(client, event_id, text, kind="text", choices="", **extra):
    data = {"text": text, "kind": kind, "choices": choices, **extra}
    return client.submit(f"/events/{event_id}/questions", data)


def question_id(app, text):
    with app.app_context():
        return db.session.scalar(sa.select(EventQuestion.id).where(EventQuestion.text == text))


def choice_ids(app, question):
    """{label: id} of question's choices, retired ones too."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(QuestionChoice.label, QuestionChoice.id).where(
                QuestionChoice.question_id == question
            )
        )
        return dict(rows.all())


def answer_of(app, question, user_id):
    with app.app_context():
        row = db.session.get(QuestionAnswer, (question, user_id))
        return (row.text, row.choices) if row else None


def test_a_question_is_answered_with_a_text_one_choice_or_several(app):
    people = build(app)
    event = people["event"]
    olu = logged_in(app, "olu@example.org")
    assert add(olu, event, "Which ride?", "one", "Bus\n  Bike \n\nOn   foot\n").status_code == 303
    assert (
        add(olu, event, "What will you bring?", "several", "Bread\nFruit\nSoup").status_code == 303
    )
    assert add(olu, event, "Anything else?").status_code == 303
    ride, bring, other = (
        question_id(app, t) for t in ("Which ride?", "What will you bring?", "Anything else?")
    )
    assert list(choice_ids(app, ride)) == ["Bus", "Bike", "On foot"]
    assert choice_ids(app, other) == {}

    for choices, message in (
        ("Only one", "Write at least two choices, one per line."),
        ("\n".join(f"Choice {n}" for n in range(9)), "Write at most 8 choices."),
        ("Tea\ntea", "Each choice once: two lines say the same."),
        ("Tea\n" + "x" * 61, "Each choice is at most 60 characters."),
    ):
        refused = add(olu, event, "Drinks?", "one", choices)
        assert refused.status_code == 422
        assert field_error(refused, "choices") == message
    assert add(olu, event, "Drinks?", "a poem").status_code == 422

    rides, brings = choice_ids(app, ride), choice_ids(app, bring)
    ada = logged_in(app, "ada@example.org")
    page = html(ada.get(f"/events/{event}/answers"))
    assert re.search(rf'type="radio"[^>]*value="{rides["Bike"]}"', page)
    assert re.search(rf'type="checkbox"[^>]*value="{brings["Soup"]}"', page)
    # The boxes come in the order they were ticked, not the question's.
    saved = ada.submit(
        f"/events/{event}/answers",
        {
            f"question-{ride}": str(rides["Bike"]),
            f"question-{bring}": [str(brings["Soup"]), str(brings["Bread"])],
            f"question-{other}": "  A torch ",
        },
    )
    assert saved.status_code == 303
    assert answer_of(app, ride, people["Ada"]) == ("Bike", [rides["Bike"]])
    assert answer_of(app, bring, people["Ada"]) == (
        "Bread, Soup",
        [brings["Bread"], brings["Soup"]],
    )
    assert answer_of(app, other, people["Ada"]) == ("A torch", None)
    # Her form shows what she chose.
    page = html(ada.get(f"/events/{event}/answers"))
    assert re.search(
        rf'value="{rides["Bike"]}"[^>]*checked|checked[^>]*value="{rides["Bike"]}"', page
    )

    # A choice of another question is no choice of this one; nothing is saved.
    wrong = ada.submit(f"/events/{event}/answers", {f"question-{ride}": str(brings["Soup"])})
    assert wrong.status_code == 422 and field_error(wrong, f"question-{ride}")
    assert answer_of(app, ride, people["Ada"]) == ("Bike", [rides["Bike"]])

    manage = html(olu.get(f"/events/{event}/questions"))
    assert "Bike: 1" in manage and "Bus: 0" in manage and "Soup: 1" in manage
    csv = olu.get(f"/events/{event}/attendees.csv").get_data(as_text=True)
    assert "Bread, Soup" in csv and "A torch" in csv


def test_changing_a_question_never_loses_an_answer(app):
    people = build(app)
    event = people["event"]
    olu = logged_in(app, "olu@example.org")
    add(olu, event, "Which ride?", "one", "Bus\nBike\nOn foot")
    add(olu, event, "Any allergies?")
    ride, allergies = question_id(app, "Which ride?"), question_id(app, "Any allergies?")
    rides = choice_ids(app, ride)
    ada = logged_in(app, "ada@example.org")
    ada.submit(
        f"/events/{event}/answers",
        {f"question-{ride}": str(rides["Bike"]), f"question-{allergies}": "Nuts"},
    )

    form = html(olu.get(f"/events/{event}/questions/{ride}/edit"))
    assert "Bus\nBike\nOn foot</textarea>" in form
    # Bike reworded, Bus (which nobody chose) left out, Car added.
    changed = olu.submit(
        f"/events/{event}/questions/{ride}/edit",
        {
            "text": "How do you come?",
            "kind": "one",
            "choices": "Bicycle\nOn foot\nCar",
            "shown_to": "attendees",
        },
    )
    assert changed.status_code == 303
    now = choice_ids(app, ride)
    assert "Bus" not in now and now["Bike"] == rides["Bike"] and now["On foot"] == rides["On foot"]
    assert answer_of(app, ride, people["Ada"]) == ("Bike", [rides["Bike"]])
    manage = html(olu.get(f"/events/{event}/questions"))
    assert "How do you come?" in manage
    assert re.search(r"Bike <small>\(no longer offered\)</small>: 1", manage)
    assert "Bicycle: 0" in manage and "Bus" not in manage
    # Ada still has hers among what she is offered; others are offered the new words.
    mine = html(ada.get(f"/events/{event}/answers"))
    assert "Bike" in mine and "Bicycle" in mine and "Bus" not in mine
    cy = logged_in(app, "cy@example.org")
    theirs = html(cy.get(f"/events/{event}/answers"))
    assert "Bicycle" in theirs and "Bike" not in theirs

    # Once answered, a question keeps its kind: refused beside the field, nothing changed.
    for question, kind, choices in ((ride, "text", ""), (allergies, "several", "Nuts\nMilk")):
        refused = olu.submit(
            f"/events/{event}/questions/{question}/edit",
            {"text": "Changed?", "kind": kind, "choices": choices},
        )
        assert refused.status_code == 422
        assert "stays answered as it is" in field_error(refused, "kind")
    assert answer_of(app, allergies, people["Ada"]) == ("Nuts", None)
    with app.app_context():
        assert db.session.get(EventQuestion, allergies).text == "Any allergies?"
    # Its words change, its answers stay.
    olu.submit(
        f"/events/{event}/questions/{allergies}/edit",
        {"text": "Allergies or diets?", "kind": "text"},
    )
    assert answer_of(app, allergies, people["Ada"]) == ("Nuts", None)

    # A question nobody answered changes kind freely; its choices go when it is a text.
    add(olu, event, "T-shirt?", "one", "S\nM")
    shirt = question_id(app, "T-shirt?")
    assert (
        olu.submit(
            f"/events/{event}/questions/{shirt}/edit", {"text": "T-shirt size?", "kind": "text"}
        ).status_code
        == 303
    )
    assert choice_ids(app, shirt) == {}
    # Another event's question is not this event's.
    assert olu.get(f"/events/{event + 1000}/questions/{shirt}/edit").status_code == 404


def test_members_read_on_the_list_only_the_answers_everyone_may_read(app):
    people = build(app)
    event = people["event"]
    olu = logged_in(app, "olu@example.org")
    add(olu, event, "What will you bring?", shown_to="attendees")
    add(olu, event, "Any allergies?")
    bring, allergies = question_id(app, "What will you bring?"), question_id(app, "Any allergies?")
    for name, things, allergy in (("cy", "Soup", "Milk"), ("ada", "Bread", "Nuts")):
        client = logged_in(app, f"{name}@example.org")
        client.submit(
            f"/events/{event}/answers",
            {f"question-{bring}": things, f"question-{allergies}": allergy},
        )

    bo = logged_in(app, "bo@example.org")
    listed = html(bo.get(f"/events/{event}/attendees"))
    assert re.search(r"<dt>What will you bring\?</dt><dd>Bread</dd>", listed)
    assert re.search(r"<dt>What will you bring\?</dt><dd>Soup</dd>", listed)
    assert "Any allergies?" not in listed and "Nuts" not in listed and "Milk" not in listed
    organisers = html(olu.get(f"/events/{event}/attendees"))
    assert "<dt>Any allergies?</dt><dd>Nuts</dd>" in organisers
    assert "<dt>Any allergies?</dt><dd>Milk</dd>" in organisers
    # Each answer beside its own person.
    ada_item = re.search(r'<li id="attendee-\d+">\s*<span>Ada.*?</li>', organisers, re.S).group(0)
    assert "Bread" in ada_item and "Nuts" in ada_item and "Soup" not in ada_item


def test_people_waiting_must_answer_a_required_question_too(app):
    people = build(app, capacity=1)
    event = people["event"]
    olu = logged_in(app, "olu@example.org")
    add(olu, event, "Any allergies?", required="y")
    allergies = question_id(app, "Any allergies?")
    with app.app_context():
        from webapp.events.rsvp.models import Rsvp

        waiting = db.session.scalar(
            sa.select(Rsvp.answer).where(Rsvp.event_id == event, Rsvp.user_id == people["Cy"])
        )
    assert waiting == Answer.WAITLISTED
    cy = logged_in(app, "cy@example.org")
    refused = cy.submit(f"/events/{event}/answers", {f"question-{allergies}": ""})
    assert refused.status_code == 422
    assert field_error(refused, f"question-{allergies}") == "The organisers need an answer to this."
    assert (
        cy.submit(f"/events/{event}/answers", {f"question-{allergies}": "None"}).status_code == 303
    )
    assert answer_of(app, allergies, people["Cy"]) == ("None", None)
