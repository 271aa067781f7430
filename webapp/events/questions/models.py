"""An event's questions, the choices a choice question offers, and each person's answers."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of

MAX_QUESTIONS = 5
QUESTION_LENGTH = 200
ANSWER_LENGTH = 500
# A choice answer is kept in words too (its labels, comma-separated): every choice of a
# question fits in ANSWER_LENGTH.
MAX_CHOICES = 8
CHOICE_LENGTH = 60


class QuestionKind(LabelledEnum):
    TEXT = "text", _l("Short text")
    ONE = "one", _l("One choice")
    SEVERAL = "several", _l("Several choices")


class ShownTo(LabelledEnum):
    ORGANISERS = "organisers", _l("The organisers only")
    ATTENDEES = "attendees", _l("Everyone who sees the list of people coming")


class EventQuestion(db.Model):
    """A question an event's organisers ask those who answer it; required: people going
    or waiting must answer it. shown_to: who reads the answers beside the organisers."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(QUESTION_LENGTH))
    required: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[QuestionKind] = mapped_column(
        EnumText(QuestionKind, 10), default=QuestionKind.TEXT, server_default="text"
    )
    shown_to: Mapped[ShownTo] = mapped_column(
        EnumText(ShownTo, 12), default=ShownTo.ORGANISERS, server_default="organisers"
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (one_of("kind", QuestionKind), one_of("shown_to", ShownTo))

    @property
    def has_choices(self):
        return self.kind != QuestionKind.TEXT


class QuestionChoice(db.Model):
    """One choice a choice question offers. Rewording a choice retires it and adds
    another, so an answer always names the words its person chose; a retired choice is
    offered no more but stays for the answers that name it."""

    __tablename__ = "question_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_questions.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(CHOICE_LENGTH))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)


class QuestionAnswer(db.Model):
    """One person's answer to one question; gone with the person, the question, or the
    group's retention (webapp.events.questions.retention). text: the answer in words
    (a choice question's: the labels chosen); choices: the ids of the choices chosen."""

    __tablename__ = "question_answers"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_questions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    text: Mapped[str] = mapped_column(sa.String(ANSWER_LENGTH))
    choices: Mapped[list | None] = mapped_column(sa.JSON, nullable=True)
    answered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
