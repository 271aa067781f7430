"""People's answers to events: one per person and event, with the waitlist's order."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.web.translating import lazy_pgettext
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class Answer(LabelledEnum):
    """A person's answer to an event; WAITLISTED is "going" while the event is full."""

    GOING = "going", lazy_pgettext("RSVP answer", "Going")
    WAITLISTED = "waitlisted", lazy_pgettext("RSVP answer", "On the waitlist")
    MAYBE = "maybe", lazy_pgettext("RSVP answer", "Maybe")
    NOT_GOING = "not_going", lazy_pgettext("RSVP answer", "Not going")


class Rsvp(db.Model):
    """One person's answer to one event (the database keeps it to one)."""

    __tablename__ = "rsvps"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[Answer] = mapped_column(EnumText(Answer, 12))
    guests: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set while waitlisted: the place in line (lower goes first).
    waitlist_ticket: Mapped[int | None] = mapped_column(nullable=True)
    answered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_rsvps_event_user"),
        one_of("answer", Answer),
        sa.CheckConstraint("guests >= 0", name="guests_not_negative"),
        sa.CheckConstraint(
            "(answer = 'waitlisted') = (waitlist_ticket IS NOT NULL)", name="ticket_iff_waiting"
        ),
        # An event's answers by kind, the waitlist in its order.
        sa.Index("ix_rsvps_event_answer", "event_id", "answer", "waitlist_ticket", "id"),
    )

    @property
    def places(self):
        """What this answer takes of the capacity when going: the person and their guests."""
        return 1 + self.guests
