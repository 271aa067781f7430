"""Who came: one row per person checked in at an event's door, by whom and when; and the
walk-ins, who came without an answer."""

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


class WalkIn(db.Model):
    """Someone with no answer who came, added at the door by an organiser: a name, an
    address if they gave one, and whether they take one of the event's places (then
    counted in the event's places_taken, as an answer's places are)."""

    __tablename__ = "walk_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254), nullable=True)
    takes_place: Mapped[bool] = mapped_column(default=False)
    added_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    added_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
