"""A series of events: a rule of dates (RFC 5545 RRULE text, read on the clocks of its
time zone) and what each new date starts as. Each date is a real event (Event.series_id),
made ahead for a bounded horizon (horizon.py); people's standing answers ("going to this
and every later date") wait here for the dates not made yet.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.groups.models import Group


class EventSeries(db.Model):
    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    # The rule without its DTSTART (first_date is that): FREQ=WEEKLY;BYDAY=TU;UNTIL=...
    rule: Mapped[str] = mapped_column(sa.String(200))
    first_date = mapped_column(sa.Date, nullable=False)
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    # What a new date starts as: its time on the zone's clocks, how long it lasts, and
    # the event's details. "This and following" changes them with the later dates.
    starts_time = mapped_column(sa.Time, nullable=False)
    duration_minutes: Mapped[int]
    # Answers close this long before each date's start; None: at the start.
    rsvp_closes_minutes_before: Mapped[int | None] = mapped_column(nullable=True)
    title: Mapped[str] = mapped_column(sa.String(150))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None] = mapped_column(nullable=True)
    guests_allowed: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when its organisers publish it: dates made from then on are published too.
    published_at = mapped_column(UTCDateTime, nullable=True)
    # The last date of the rule made into an event (None: none yet); complete once the
    # rule has no date after it, so the horizon's sweep passes the series by.
    made_until = mapped_column(sa.Date, nullable=True)
    complete: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # When the date lists show it by ends, and the next one must take its place
    # (folding.py); None while no date is folded under another.
    refold_at = mapped_column(UTCDateTime, nullable=True)
    # The last ticket handed to a standing answer, under the series' row lock: the order of
    # tickets is the order in which they arrived, kept on every date's waitlist.
    answer_tickets: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    group: Mapped[Group] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        # The series the horizon's sweep visits: few, among every series there was.
        sa.Index(
            "ix_event_series_to_fill",
            "made_until",
            postgresql_where=sa.text("NOT complete"),
            sqlite_where=sa.text("NOT complete"),
        ),
        sa.Index(
            "ix_event_series_refold_at",
            "refold_at",
            postgresql_where=sa.text("refold_at IS NOT NULL"),
            sqlite_where=sa.text("refold_at IS NOT NULL"),
        ),
    )

    @property
    def is_published(self):
        return self.published_at is not None

    def __repr__(self):
        return f"<EventSeries {self.id} {self.rule}>"


class StandingAnswer(db.Model):
    """A person going to every date of a series from from_date on, those not made yet
    included: each date they reach is answered "going" for them (or the waitlist) in the
    order of the tickets."""

    __tablename__ = "series_standing_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("event_series.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    from_date = mapped_column(sa.Date, nullable=False)
    ticket: Mapped[int]
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    series: Mapped[EventSeries] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("series_id", "user_id", name="uq_standing_answers_series_user"),
        sa.Index("ix_standing_answers_series_ticket", "series_id", "ticket"),
    )
