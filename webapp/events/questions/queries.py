"""Reads of questions: an event's, with one person's answers, and everyone's answers for
the organisers."""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.extensions import db


def questions_of(event):
    """event's questions, in the order they were added."""
    if not event.has_questions:
        return []
    return db.session.scalars(
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.id)
    ).all()


def questions_with_answers_of(event, user):
    """[(question, user's answer text or "")] of event's: one statement, none until the
    event has a question."""
    if not event.has_questions:
        return []
    rows = db.session.execute(
        sa.select(EventQuestion, QuestionAnswer.text)
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
    return [(question, text or "") for question, text in rows]


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
