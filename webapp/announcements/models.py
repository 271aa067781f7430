"""Announcements: what organisers tell a group, or the people of one of its events, once,
by email and on the group's and event's pages; who has read each; and how each person
takes a group's announcements.

An announcement is scheduled (it waits for its time, and its organisers may still edit or
withdraw it), then sending (its outbox rows are being written, a batch at a time), then
sent. The batches go by recipient id: `reached_user_id` is the last one written, so a job
that is retried or run twice carries on where the last stopped and mails nobody twice.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of

SUBJECT_MAX = 150
BODY_MAX = 10_000
WAITING = sa.text("state = 'scheduled'")
PUBLIC = sa.text("public")


class AnnouncementState(LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class Delivery(LabelledEnum):
    """How a person takes one group's announcements (no row: by email)."""

    EMAIL = "email", _l("By email, as they are sent")
    DIGEST = "digest", _l("Only in the digest")
    OFF = "off", _l("Not by email")


# The answers an event's announcement can go to, in the order the form offers them.
EVENT_AUDIENCE = (Answer.GOING, Answer.MAYBE, Answer.WAITLISTED)


class Announcement(db.Model):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    # Set: to this event's people with the answers below; None: to the whole group.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=True
    )
    to_going: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    to_maybe: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    to_waitlisted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    subject: Mapped[str] = mapped_column(sa.String(SUBJECT_MAX))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[AnnouncementState] = mapped_column(
        EnumText(AnnouncementState, 10), default=AnnouncementState.SCHEDULED
    )
    # When it goes (or went): the moment of sending for one sent at once.
    send_at = mapped_column(UTCDateTime, nullable=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The last recipient whose message is written, and how many there were so far.
    reached_user_id: Mapped[int] = mapped_column(default=0, server_default="0")
    recipient_count: Mapped[int] = mapped_column(default=0, server_default="0")
    sent_at = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at = mapped_column(UTCDateTime, nullable=True)
    # Its organisers chose to let anyone read it once it goes (a public group's, to the
    # whole group): its page is open, and the group's public Atom feed carries it.
    public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    group: Mapped[Group] = relationship()
    event: Mapped[Event | None] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        one_of("state", AnnouncementState),
        sa.CheckConstraint(
            "event_id IS NOT NULL OR NOT (to_going OR to_maybe OR to_waitlisted)",
            name="answers_only_for_an_event",
        ),
        sa.CheckConstraint(
            "event_id IS NULL OR to_going OR to_maybe OR to_waitlisted",
            name="an_event_announcement_has_an_audience",
        ),
        sa.CheckConstraint("event_id IS NULL OR NOT public", name="public_only_to_a_group"),
        # A group's announcements, latest first; an event's; and what waits to go.
        sa.Index("ix_announcements_group", "group_id", "send_at", "id"),
        sa.Index("ix_announcements_event", "event_id", "send_at", "id"),
        sa.Index(
            "ix_announcements_waiting",
            "send_at",
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        ),
        # The public ones the feeds carry, latest first.
        sa.Index(
            "ix_announcements_public",
            "send_at",
            "id",
            postgresql_where=PUBLIC,
            sqlite_where=PUBLIC,
        ),
    )

    @property
    def is_scheduled(self):
        return self.state == AnnouncementState.SCHEDULED

    @property
    def is_sent_or_sending(self):
        return self.state in (AnnouncementState.SENDING, AnnouncementState.SENT)

    @property
    def is_withdrawn(self):
        return self.state == AnnouncementState.WITHDRAWN

    @property
    def audience_answers(self):
        chosen = (self.to_going, self.to_maybe, self.to_waitlisted)
        return [answer for answer, to in zip(EVENT_AUDIENCE, chosen, strict=True) if to]

    def __repr__(self):
        return f"<Announcement {self.id} {self.state}>"


class AnnouncementRead(db.Model):
    """A person opened an announcement (its page, or the link in its email)."""

    __tablename__ = "announcement_reads"

    announcement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class AnnouncementDelivery(db.Model):
    """How one person takes one group's announcements, when not by email."""

    __tablename__ = "announcement_deliveries"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    delivery: Mapped[Delivery] = mapped_column(EnumText(Delivery, 10))
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __table_args__ = (one_of("delivery", Delivery),)
