"""The rules of questions: organisers add up to MAX_QUESTIONS to an event and delete them
(their answers go with them); people going, waiting or maybe answer them, a required one
for those going; the answers go a number of days after the event (retention.py)."""

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.questions.models import MAX_QUESTIONS, EventQuestion, QuestionAnswer
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_of
from webapp.extensions import db
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

ANSWERING = (Answer.GOING, Answer.WAITLISTED, Answer.MAYBE)


def add_question(actor, event, text, required):
    """A new question at the end of event's, refused past MAX_QUESTIONS (counted under
    the event's lock: two organisers adding at once make no sixth)."""
    lock_row(event)
    if event.is_cancelled:
        raise RuleError(_("This event is cancelled."))
    count = db.session.scalar(sa.select(sa.func.count()).where(EventQuestion.event_id == event.id))
    if count >= MAX_QUESTIONS:
        raise RuleError(
            ngettext(
                "An event asks at most %(num)d question.",
                "An event asks at most %(num)d questions.",
                MAX_QUESTIONS,
            ),
            "text",
        )
    question = EventQuestion(event_id=event.id, text=text, required=required)
    db.session.add(question)
    event.has_questions = True
    db.session.flush()
    return question


def delete_question(actor, event, question_id):
    """The question and its answers go; None if it was gone already."""
    question = db.session.scalar(
        sa.select(EventQuestion).where(
            EventQuestion.id == question_id, EventQuestion.event_id == event.id
        )
    )
    if question is None:
        return None
    db.session.execute(sa.delete(QuestionAnswer).where(QuestionAnswer.question_id == question.id))
    db.session.delete(question)
    db.session.flush()
    return question


def answer_value(user, event):
    """user's answer (going, waiting, maybe...) to event, or None (rsvp's answer_of)."""
    rsvp = answer_of(user, event)
    return rsvp.answer if rsvp is not None else None


def save_answers(user, event, questions, texts):
    """user's answers to event's questions ({question id: text}; an empty text removes
    theirs). Only those going, waiting or maybe answer; a required question needs an
    answer from those going (RuleError on its field, question-<id>)."""
    answer = answer_value(user, event)
    if answer not in ANSWERING:
        raise RuleError(_("Answer the event first: the questions are for those who come."))
    if event.has_ended():
        raise RuleError(_("This event has ended."))
    for question in questions:
        text = texts.get(question.id, "")
        if question.required and not text and answer == Answer.GOING:
            raise RuleError(_("The organisers need an answer to this."), f"question-{question.id}")
    now = utcnow()
    ids = [question.id for question in questions]
    db.session.execute(
        sa.delete(QuestionAnswer).where(
            QuestionAnswer.user_id == user.id, QuestionAnswer.question_id.in_(ids)
        )
    )
    for question in questions:
        if texts.get(question.id):
            db.session.add(
                QuestionAnswer(
                    question_id=question.id,
                    user_id=user.id,
                    text=texts[question.id],
                    answered_at=now,
                )
            )
    db.session.flush()
