"""The rules of questions: organisers add up to MAX_QUESTIONS to an event, change them
(never losing an answer given: a question's kind stays once answered, a choice someone
chose is retired rather than deleted) and delete them (their answers go with them); people
going, waiting or maybe answer them, a required one for those going or waiting; the
answers go a number of days after the event (retention.py)."""

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.questions.models import (
    MAX_QUESTIONS,
    EventQuestion,
    QuestionAnswer,
    QuestionChoice,
    QuestionKind,
)
from webapp.events.questions.queries import chosen_by_anyone, has_answers
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_of
from webapp.extensions import db
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

ANSWERING = (Answer.GOING, Answer.WAITLISTED, Answer.MAYBE)
# Those a required question needs an answer from: whoever holds or waits for a place.
MUST_ANSWER = (Answer.GOING, Answer.WAITLISTED)


def add_question(actor, event, text, required, kind=QuestionKind.TEXT, labels=(), shown_to=None):
    """A new question at the end of event's, refused past MAX_QUESTIONS (counted under
    the event's lock: two organisers adding at once make no sixth). labels: a choice
    question's choices, in order."""
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
    question = EventQuestion(event_id=event.id, text=text, required=required, kind=kind)
    if shown_to is not None:
        question.shown_to = shown_to
    db.session.add(question)
    event.has_questions = True
    db.session.flush()
    _set_choices(question, labels if question.has_choices else [], chosen=set())
    return question


def change_question(actor, event, question_id, text, required, kind, labels, shown_to):
    """Change one of event's questions; None if it is gone. Answers given stay: once
    anybody has answered, its kind stays (RuleError on "kind"), and a choice left out
    that somebody chose is retired, kept for their answer, rather than deleted."""
    lock_row(event)
    question = db.session.scalar(
        sa.select(EventQuestion).where(
            EventQuestion.id == question_id, EventQuestion.event_id == event.id
        )
    )
    if question is None:
        return None
    if kind != question.kind and has_answers(question):
        raise RuleError(
            _(
                "People have answered this question, so it stays answered as it is. "
                "Add another question to ask it another way."
            ),
            "kind",
        )
    question.text, question.required, question.kind = text, required, kind
    question.shown_to = shown_to
    chosen = chosen_by_anyone(question) if question.has_choices else set()
    _set_choices(question, labels if question.has_choices else [], chosen)
    db.session.flush()
    return question


def _set_choices(question, labels, chosen):
    """question offers labels, in order: a label it had keeps its choice (and its id);
    one it had not is a new choice; one left out is retired if in chosen, else deleted."""
    existing = db.session.scalars(
        sa.select(QuestionChoice).where(QuestionChoice.question_id == question.id)
    ).all()
    by_label = {choice.label: choice for choice in existing}
    kept = set()
    for position, label in enumerate(labels):
        choice = by_label.get(label)
        if choice is None:
            choice = QuestionChoice(question_id=question.id, label=label)
            db.session.add(choice)
        choice.position, choice.retired = position, False
        kept.add(label)
    for choice in existing:
        if choice.label in kept:
            continue
        if choice.id in chosen:
            choice.retired = True
        else:
            db.session.delete(choice)
    db.session.flush()


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
    db.session.execute(sa.delete(QuestionChoice).where(QuestionChoice.question_id == question.id))
    db.session.delete(question)
    db.session.flush()
    return question


def answer_value(user, event):
    """user's answer (going, waiting, maybe...) to event, or None (rsvp's answer_of)."""
    rsvp = answer_of(user, event)
    return rsvp.answer if rsvp is not None else None


def save_answers(user, event, asked, given):
    """user's answers to event's questions (asked: queries.Asked of each; given: {question
    id: the text, or the ids of the choices chosen}; empty removes theirs). Only those
    going, waiting or maybe answer; a required question needs an answer from those going
    or waiting (RuleError on its field, question-<id>)."""
    answer = answer_value(user, event)
    if answer not in ANSWERING:
        raise RuleError(_("Answer the event first: the questions are for those who come."))
    if event.has_ended():
        raise RuleError(_("This event has ended."))
    for item in asked:
        if item.question.required and not given.get(item.question.id) and answer in MUST_ANSWER:
            raise RuleError(
                _("The organisers need an answer to this."), f"question-{item.question.id}"
            )
    now = utcnow()
    ids = [item.question.id for item in asked]
    db.session.execute(
        sa.delete(QuestionAnswer).where(
            QuestionAnswer.user_id == user.id, QuestionAnswer.question_id.in_(ids)
        )
    )
    for item in asked:
        value = given.get(item.question.id)
        if not value:
            continue
        row = QuestionAnswer(question_id=item.question.id, user_id=user.id, answered_at=now)
        if item.question.has_choices:
            chosen = set(value)
            picked = [choice for choice in item.choices if choice.id in chosen]
            row.choices = [choice.id for choice in picked]
            row.text = ", ".join(choice.label for choice in picked)
        else:
            row.text = value
        db.session.add(row)
    db.session.flush()
