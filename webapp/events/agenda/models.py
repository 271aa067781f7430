"""An event's agenda: sessions inside its time span, each with its speakers."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database.times import UTCDateTime
from webapp.extensions import db

if TYPE_CHECKING:
    from webapp.events.models import Event


class AgendaSession(db.Model):
    """A part of an event's programme, inside the event's time span."""

    __tablename__ = "agenda_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(150))
    starts_at = mapped_column(UTCDateTime, nullable=False)
    ends_at = mapped_column(UTCDateTime, nullable=False)
    room: Mapped[str] = mapped_column(sa.String(100), default="")

    event: Mapped["Event"] = relationship(back_populates="sessions")
    speakers: Mapped[list["Speaker"]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Speaker.position, Speaker.id)",
    )

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_sessions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    bio: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[AgendaSession] = relationship(back_populates="speakers")
