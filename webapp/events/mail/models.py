"""What the calendar and mail parts of events remember: an event's calendar version and
reminder, each person's opt-outs from event email, and each person's feed generation."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class EventMailKind(LabelledEnum):
    """The kinds of event email a person can turn off, one by one."""

    CONFIRMATION = "confirmation", _l("When I say I'm going, or join a waitlist")
    PROMOTION = "promotion", _l("When I move up from a waitlist to going")
    CHANGES = "changes", _l("When the time or place of an event I'm going to changes")
    CANCELLATIONS = "cancellations", _l("When an event I'm going to is cancelled")
    REMINDERS = "reminders", _l("A reminder a day before an event I'm going to")
    # Polls are a group's as much as an event's, but people choose their email in one place.
    POLL_RESULTS = "poll_results", _l("When a poll I voted in closes, or its slot becomes a date")
    TASK_ASSIGNED = "task_assigned", _l("When an organiser gives me a task of an event")
    # Not about events, but people choose their email in one place.
    DATA_EXPORT = "data_export", _l("When a download of my data I asked for is ready")


class EventMailState(db.Model):
    """One row per event that has needed one: its calendar SEQUENCE and its reminder."""

    __tablename__ = "event_mail_states"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    # RFC 5545 SEQUENCE: grows each time the time or place changes, so calendar apps
    # that already hold the event take the new version instead of keeping the old one.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set, under this row's lock, by the one run that reminds everyone going: a retried
    # or duplicated job, a sweep, or a move of the event finds it set and sends nothing.
    reminded_at = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),)


class EventMailOptOut(db.Model):
    """A kind of event email a person turned off (no row: they get it)."""

    __tablename__ = "event_mail_opt_outs"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[EventMailKind] = mapped_column(EnumText(EventMailKind, 20), primary_key=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (one_of("kind", EventMailKind),)


class CalendarFeed(db.Model):
    """A person's calendar feed generation: the feed address is an HMAC of the user id and
    this number, so making a new address (generation + 1) ends the old one at once, and
    no secret is stored. No row: generation 0."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(default=0, server_default="0")
    renewed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
