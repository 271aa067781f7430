"""Events of a group (people's answers are rsvp/models.py, the agenda agenda/models.py)."""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp import live
from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import lazy_pgettext
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class EventStatus(LabelledEnum):
    DRAFT = "draft", lazy_pgettext("event state", "Draft")
    PUBLISHED = "published", lazy_pgettext("event state", "Published")
    CANCELLED = "cancelled", lazy_pgettext("event state", "Cancelled")


# Statuses people other than organisers see; a draft is the organisers' alone.
LISTED_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


class EventListing(LabelledEnum):
    """Who finds an event in lists, as its group allows. Kept on the event by database
    triggers (migrations 0012_event_listing, 0030_series_folded) from the group's
    visibility and life, and hidden for a date folded under its series' next one, so the
    lists filter inside one index instead of joining every event walked to its group."""

    PUBLIC = "public", _l("Everyone")
    MEMBERS = "members", _l("Members of the group")
    HIDDEN = "hidden", _l("Nobody: the group is gone, or a later date of a series")


# What the listing index holds (migrations 0012_event_listing, 0030_series_folded): the
# lists' own filters (webapp.events.queries._listed), so they walk it.
LISTED_LIVE = sa.text(
    "deleted_at IS NULL AND status IN ('published', 'cancelled') AND listing <> 'hidden'"
)
# What a search of events looks in, lower-cased once when the title or description is
# written (migrations 0019_event_search, 0021_event_search_by_trigger): PostgreSQL indexes
# it with pg_trgm.
SEARCH_TEXT = "lower(title || ' ' || description)"


class EventState:
    """What an event's status and places say: for Event, and for an event read as plain
    columns (webapp.events.series.queries.SeriesDate). Reads status, capacity and
    places_taken."""

    __slots__ = ()

    @property
    def is_draft(self):
        return self.status == EventStatus.DRAFT

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def places_left(self):
        """Places still free, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)


class Event(EventState, db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(150))
    # For readable addresses (/events/42-summer-picnic); the id alone finds the event.
    slug: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered (Markdown, sanitised) when written, as groups do: never on each view.
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    # SEARCH_TEXT, searched and never shown: so never loaded with an event either. Written
    # by the database alone: on PostgreSQL by a trigger when the title or description is
    # (an RSVP's update of the counters leaves it, and its index, alone); on SQLite, which
    # can only add a virtual generated column to a table, computed when read. Never NULL,
    # though neither database is told so (SQLite cannot be, on a column added later).
    search_text: Mapped[str | None] = mapped_column(
        sa.Text,
        server_default=sa.FetchedValue(),
        server_onupdate=sa.FetchedValue(),
        deferred=True,
        deferred_raiseload=True,
    )
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    starts_at = mapped_column(UTCDateTime, nullable=False)
    ends_at = mapped_column(UTCDateTime, nullable=False)
    # An IANA name; times are stored in UTC and shown in this zone.
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    capacity: Mapped[int | None] = mapped_column(nullable=True)
    rsvp_deadline = mapped_column(UTCDateTime, nullable=True)
    # How many guests each member may bring (0: none).
    guests_allowed: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[EventStatus] = mapped_column(
        EnumText(EventStatus, 10), default=EventStatus.DRAFT
    )
    # Kept by the RSVP rules under the event's row lock, so no page counts answers:
    # places_taken counts people going plus their guests (what capacity limits).
    places_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    going_count: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlist_count: Mapped[int] = mapped_column(default=0, server_default="0")
    maybe_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The last ticket handed out to the waitlist: its order is the order of tickets,
    # given under the row lock, so it is the order in which answers committed.
    waitlist_tickets: Mapped[int] = mapped_column(default=0, server_default="0")
    # The live version of the RSVP panel (webapp.live): moved on by every change to what
    # the panel shows, in the change's transaction under the row lock, so a page reads it
    # with the event, from one snapshot.
    rsvp_version: Mapped[int] = mapped_column(
        sa.BigInteger, default=live.first_version, server_default="0"
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # When its organisers last changed it (webapp.events.services sets it), not when
    # someone answered: the .ics's DTSTAMP and LAST-MODIFIED, so that a calendar feed stays
    # the same file (and answers 304) while people answer its events.
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    published_at = mapped_column(UTCDateTime, nullable=True)
    cancelled_at = mapped_column(UTCDateTime, nullable=True)
    deleted_at = mapped_column(UTCDateTime, nullable=True)
    # A date of a series (webapp/events/series/): the rule's date it stands for, on the
    # clocks of its zone (its RECURRENCE-ID), kept when the date moves; detached once its
    # organisers change it alone, so that "this and following" leaves it be.
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_series.id", ondelete="CASCADE"), nullable=True
    )
    series_date = mapped_column(sa.Date, nullable=True)
    series_detached: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A coming date after its series' next one: lists show a series by its next date alone
    # (the triggers make its listing hidden). Kept by webapp.events.series.folding.
    series_folded: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set by webapp.announcements with the event's first announcement: until then its page
    # asks nothing about announcements, as most events have none.
    has_announcements: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set with the event's first question (webapp.events.questions): until then its page
    # asks nothing about questions.
    has_questions: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set with the event's first co-host (webapp.events.cohosts): until then nobody is
    # asked whether they co-host it, and its page reads no co-hosts.
    has_cohosts: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Set with the event's first comment (webapp.discussions): until then its page reads
    # no comments.
    has_comments: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Written by the triggers alone: the ORM never sets it, and reads it back after a write.
    listing: Mapped[EventListing] = mapped_column(
        EnumText(EventListing, 10), server_default=EventListing.HIDDEN.value
    )

    group: Mapped[Group] = relationship()
    created_by: Mapped[User | None] = relationship()
    series: Mapped["EventSeries | None"] = relationship()
    sessions: Mapped[list["AgendaSession"]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(AgendaSession.starts_at, AgendaSession.id)",
    )

    __table_args__ = (
        one_of("status", EventStatus),
        one_of("listing", EventListing),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("guests_allowed >= 0", name="guests_not_negative"),
        sa.CheckConstraint(
            "(series_id IS NULL) = (series_date IS NULL)", name="series_date_iff_series"
        ),
        # The invariant the RSVP rules keep under the lock, backed by the database.
        sa.CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity", name="places_within_capacity"
        ),
        # A group's events by start, and every listed event by start (upcoming soonest
        # first, past newest first, walking the same index either way). The lists' filters
        # ride in the second, so on PostgreSQL they walk it without reading event rows.
        sa.Index(
            "ix_events_group_live_by_start",
            "group_id",
            "starts_at",
            "id",
            postgresql_where=sa.text("deleted_at IS NULL"),
            sqlite_where=sa.text("deleted_at IS NULL"),
        ),
        sa.Index(
            "ix_events_listed_by_start",
            "starts_at",
            "id",
            postgresql_include=["ends_at", "group_id", "listing"],
            postgresql_where=LISTED_LIVE,
            sqlite_where=LISTED_LIVE,
        ),
        # A group's drafts, for its organisers on the group's page: few, among many events
        # (migration 0007_events_more).
        sa.Index(
            "ix_events_group_drafts",
            "group_id",
            "starts_at",
            "id",
            postgresql_where=sa.text("status = 'draft' AND deleted_at IS NULL"),
            sqlite_where=sa.text("status = 'draft' AND deleted_at IS NULL"),
        ),
        # A series' dates in order; one event per date of the rule, however often, and
        # however many at once, the horizon is filled.
        sa.Index(
            "ix_events_series_date",
            "series_id",
            "series_date",
            unique=True,
            postgresql_where=sa.text("series_id IS NOT NULL"),
            sqlite_where=sa.text("series_id IS NOT NULL"),
        ),
    )

    @property
    def is_live(self):
        return self.deleted_at is None

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @property
    def is_full(self):
        return self.capacity is not None and self.places_taken >= self.capacity

    def has_ended(self, now=None):
        return (now or utcnow()) >= self.ends_at

    def answers_closed(self, now=None):
        """Past the RSVP deadline (or the start, when there is none), or not open at all."""
        now = now or utcnow()
        closes_at = self.rsvp_deadline or self.starts_at
        return self.status != EventStatus.PUBLISHED or not self.is_live or now >= closes_at

    def __repr__(self):
        return f"<Event {self.id} {self.slug}>"


# An event's agenda sessions are a relationship of Event: their model is mapped with it.
from webapp.events.agenda.models import AgendaSession  # noqa: E402
from webapp.events.series.models import EventSeries  # noqa: E402
