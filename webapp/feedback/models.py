"""Feedback on an event from the people who went: a rating from 1 to 5 and a comment,
one per person and event (a unique constraint), editable for a while after the end."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db

RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX = 2000


class Feedback(db.Model):
    __tablename__ = "event_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    # The author; NULL once they deleted their account (the feedback stays, unnamed).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str] = mapped_column(sa.String(COMMENT_MAX), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_feedback_event_user"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_one_to_five"),
    )
