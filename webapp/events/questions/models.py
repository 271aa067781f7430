"""An event's questions, and each person's answers to them."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db

MAX_QUESTIONS = 5
QUESTION_LENGTH = 200
ANSWER_LENGTH = 500


class EventQuestion(db.Model):
    """A question an event's organisers ask those who answer it; required: people going
    must answer it."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(QUESTION_LENGTH))
    required: Mapped[bool] = mapped_column(default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class QuestionAnswer(db.Model):
    """One person's answer to one question; gone with the person, the question, or the
    group's retention (webapp.events.questions.retention)."""

    __tablename__ = "question_answers"

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event_questions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    text: Mapped[str] = mapped_column(sa.String(ANSWER_LENGTH))
    answered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
