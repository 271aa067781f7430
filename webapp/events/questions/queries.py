"""Reads of questions: an event's, each with its choices and one person's answer, and
everyone's answers for the organisers and the list of people coming."""

from typing import NamedTuple

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.events.questions.models import (
    EventQuestion,
    QuestionAnswer,
    QuestionChoice,
    QuestionKind,
)
from webapp.extensions import db


class Asked(NamedTuple):
    """A question as one person is asked it: the choices offered to them (the question's
    own, and a retired one they chose, so saving again does not drop it), and their answer
    (text: in words, "" when none; chosen: the ids of the choices they chose)."""

    question: EventQuestion
    choices: list
    text: str
    chosen: list


def questions_of(event):
    """event's questions, in the order they were added."""
    if not event.has_questions:
        return []
    return db.session.scalars(
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.id)
    ).all()


def choices_of(questions):
    """{question id: [its choices, retired ones too, in order]} of questions; one
    statement, none when no question offers choices."""
    ids = [question.id for question in questions if question.kind != QuestionKind.TEXT]
    found = {question.id: [] for question in questions}
    if not ids:
        return found
    for choice in db.session.scalars(
        sa.select(QuestionChoice)
        .where(QuestionChoice.question_id.in_(ids))
        .order_by(QuestionChoice.question_id, QuestionChoice.position, QuestionChoice.id)
    ):
        found[choice.question_id].append(choice)
    return found


def offered(choices, chosen=()):
    """The choices a form offers: those not retired, and any retired one in chosen."""
    return [choice for choice in choices if not choice.retired or choice.id in chosen]


def asked_of(event, user):
    """[Asked] of event's questions for user: one statement, a second when a question
    offers choices; none until the event has a question."""
    if not event.has_questions:
        return []
    rows = db.session.execute(
        sa.select(EventQuestion, QuestionAnswer.text, QuestionAnswer.choices)
        .outerjoin(
            QuestionAnswer,
            sa.and_(
                QuestionAnswer.question_id == EventQuestion.id,
                QuestionAnswer.user_id == user.id,
            ),
        )
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.id)
    ).all()
    choices = choices_of([question for question, _text, _chosen in rows])
    return [
        Asked(question, offered(choices[question.id], chosen or ()), text or "", chosen or [])
        for question, text, chosen in rows
    ]


def answers_by_question(event):
    """{question id: [(person, text)]} of every answer to event's questions, by name."""
    rows = db.session.execute(
        sa.select(QuestionAnswer.question_id, User, QuestionAnswer.text)
        .join(User, User.id == QuestionAnswer.user_id)
        .join(EventQuestion, EventQuestion.id == QuestionAnswer.question_id)
        .where(EventQuestion.event_id == event.id)
        .order_by(sa.func.lower(User.first_name), sa.func.lower(User.last_name), User.id)
    ).all()
    found = {}
    for question_id, person, text in rows:
        found.setdefault(question_id, []).append((person, text))
    return found


def answers_of_people(event):
    """{(question id, user id): text} of every answer to event's questions."""
    rows = db.session.execute(
        sa.select(QuestionAnswer.question_id, QuestionAnswer.user_id, QuestionAnswer.text)
        .join(EventQuestion, EventQuestion.id == QuestionAnswer.question_id)
        .where(EventQuestion.event_id == event.id)
    )
    return {(question_id, user_id): text for question_id, user_id, text in rows}


def has_answers(question):
    """Whether anybody has answered question."""
    return db.session.scalar(
        sa.select(sa.exists().where(QuestionAnswer.question_id == question.id))
    )


def chosen_by_anyone(question):
    """The ids of question's choices that some answer names."""
    chosen = set()
    for ids in db.session.scalars(
        sa.select(QuestionAnswer.choices).where(
            QuestionAnswer.question_id == question.id, QuestionAnswer.choices.is_not(None)
        )
    ):
        chosen.update(ids)
    return chosen
