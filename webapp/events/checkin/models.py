"""Who came: one row per person checked in at an event's door, by whom and when."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db


class CheckIn(db.Model):
    """A person going to an event, checked in at its door. The key is the event and the
    person: two organisers checking one person in at once record one check-in."""

    __tablename__ = "check_ins"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    checked_in_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    checked_in_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
