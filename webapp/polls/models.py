"""Polls of a group (or of one of its events), their options, and members' votes.

The database keeps the votes honest, whatever the requests do: a vote names its option
together with its poll (a composite foreign key), so it cannot point at another poll's
option; one per member per option is a unique constraint; and a single-choice poll's
votes carry the poll's choice (another composite foreign key), so a partial unique index
keeps them to one per member per poll.
"""

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp import live
from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.translating import lazy_gettext as _l
from webapp.web.vocabulary import EnumText, LabelledEnum, one_of


class PollKind(LabelledEnum):
    PLAIN = "plain", _l("Poll")
    # Each option is a time slot; people answer yes, if need be or no to every slot.
    DATE = "date", _l("Date poll")


class PollChoice(LabelledEnum):
    SINGLE = "single", _l("One choice")
    MULTIPLE = "multiple", _l("Several choices")


class ResultsShown(LabelledEnum):
    """Who sees the results, and when (organisers always do)."""

    AT_ONCE = "at_once", _l("Everyone, at once")
    AFTER_VOTING = "after_voting", _l("Each member once they have voted")
    AFTER_CLOSING = "after_closing", _l("Everyone, once the poll is closed")


class VoteAnswer(LabelledEnum):
    """A plain poll's votes are all YES; a date poll's slots get any of the three."""

    YES = "yes", _l("Yes")
    IF_NEED_BE = "if_need_be", _l("If need be")
    NO = "no", _l("No")


SINGLE_CHOICE = sa.text("choice = 'single'")
UNMAILED = sa.text("results_mailed_at IS NULL")


class Poll(db.Model):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    # A poll on an event lives and dies with it; its group is the event's (services).
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=True, index=True
    )
    question: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered (Markdown, sanitised) when written, as events do: never on each view.
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[PollKind] = mapped_column(EnumText(PollKind, 10), default=PollKind.PLAIN)
    choice: Mapped[PollChoice] = mapped_column(EnumText(PollChoice, 10), default=PollChoice.SINGLE)
    # For several choices: at most this many (None: as many as there are options).
    max_choices: Mapped[int | None] = mapped_column(nullable=True)
    results_shown: Mapped[ResultsShown] = mapped_column(
        EnumText(ResultsShown, 16), default=ResultsShown.AT_ONCE
    )
    # Date slots are typed and shown on this zone's clocks (the event's, or the creator's).
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    closes_at = mapped_column(UTCDateTime, nullable=True)
    # Set when it closed: by hand, or by the closing job (webapp/polls/closing.py) at closes_at.
    closed_at = mapped_column(UTCDateTime, nullable=True)
    # Set, under the poll's row lock, by the one run that mails the result to the voters:
    # a retried or duplicated job, or the sweep, finds it set and sends nothing.
    results_mailed_at = mapped_column(UTCDateTime, nullable=True)
    # Members who voted, kept by the voting rules under the poll's row lock, so results
    # read percentages without counting rows.
    voter_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The live version of the results (webapp.live): moved on by every change to them, in
    # the change's transaction, so a page reads it with the results, from one snapshot.
    results_version: Mapped[int] = mapped_column(
        sa.BigInteger, default=live.first_version, server_default="0"
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    group: Mapped[Group] = relationship()
    event: Mapped[Event | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        one_of("kind", PollKind),
        one_of("choice", PollChoice),
        one_of("results_shown", ResultsShown),
        # A date poll's member answers every slot: "one choice" means nothing there.
        sa.CheckConstraint("kind = 'plain' OR choice = 'multiple'", name="date_polls_multiple"),
        sa.CheckConstraint(
            "max_choices IS NULL OR (choice = 'multiple' AND max_choices >= 1)",
            name="max_choices_of_multiple",
        ),
        sa.CheckConstraint("voter_count >= 0", name="voter_count_not_negative"),
        # What the votes' composite foreign key refers to (see Vote).
        sa.UniqueConstraint("id", "choice", name="uq_polls_id_choice"),
        # The sweep's question: which polls still owe their voters the result.
        sa.Index(
            "ix_polls_results_unmailed",
            "closes_at",
            postgresql_where=UNMAILED,
            sqlite_where=UNMAILED,
        ),
    )

    @property
    def is_date_poll(self):
        return self.kind == PollKind.DATE

    @property
    def is_single_choice(self):
        return self.choice == PollChoice.SINGLE

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @classmethod
    def open_at(cls, now):
        """SQL: open at now, the opposite of is_closed (now may be a bind parameter)."""
        return sa.and_(
            cls.closed_at.is_(None), sa.or_(cls.closes_at.is_(None), cls.closes_at > now)
        )

    def is_closed(self, now=None):
        """Closed by hand, or past its closing time (before the job marks it)."""
        if self.closed_at is not None:
            return True
        return self.closes_at is not None and (now or utcnow()) >= self.closes_at

    def __repr__(self):
        return f"<Poll {self.id}>"


class PollOption(db.Model):
    __tablename__ = "poll_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    # A date slot's label is its time, written from starts_at and ends_at when it is made.
    label: Mapped[str] = mapped_column(sa.String(200))
    starts_at = mapped_column(UTCDateTime, nullable=True)
    ends_at = mapped_column(UTCDateTime, nullable=True)
    # Kept by the voting rules under the poll's lock: YES votes, and a date slot's
    # "if need be" ones.
    yes_count: Mapped[int] = mapped_column(default=0, server_default="0")
    if_need_be_count: Mapped[int] = mapped_column(default=0, server_default="0")

    poll: Mapped[Poll] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(starts_at IS NULL) = (ends_at IS NULL)", name="slot_has_both_ends"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("yes_count >= 0 AND if_need_be_count >= 0", name="counts_not_negative"),
        # A poll's options in their order.
        sa.Index("ix_poll_options_poll_position", "poll_id", "position", "id"),
        # What the votes' composite foreign key refers to: an option of this very poll.
        sa.UniqueConstraint("id", "poll_id", name="uq_poll_options_id_poll"),
    )

    @property
    def is_slot(self):
        return self.starts_at is not None

    def is_date_of(self, event):
        """This slot is when event happens (a date poll's winner that was made its date)."""
        return self.is_slot and (self.starts_at, self.ends_at) == (event.starts_at, event.ends_at)


class Vote(db.Model):
    """One member's answer to one option of a poll."""

    __tablename__ = "poll_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column()
    option_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The poll's choice, copied and tied to it by a foreign key: what lets the database
    # keep a single-choice poll to one vote per member.
    choice: Mapped[PollChoice] = mapped_column(EnumText(PollChoice, 10))
    answer: Mapped[VoteAnswer] = mapped_column(EnumText(VoteAnswer, 12), default=VoteAnswer.YES)
    voted_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    option: Mapped[PollOption] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (
        # The option belongs to this very poll; a removed option takes its votes along.
        sa.ForeignKeyConstraint(
            ["option_id", "poll_id"],
            ["poll_options.id", "poll_options.poll_id"],
            name="fk_poll_votes_option_of_poll",
            ondelete="CASCADE",
        ),
        # The choice is the poll's; a poll's choice cannot change under its votes.
        sa.ForeignKeyConstraint(
            ["poll_id", "choice"],
            ["polls.id", "polls.choice"],
            name="fk_poll_votes_choice_of_poll",
            ondelete="CASCADE",
        ),
        one_of("choice", PollChoice),
        one_of("answer", VoteAnswer),
        # One vote per member per option; its index also finds a member's votes in a poll.
        sa.UniqueConstraint("poll_id", "user_id", "option_id", name="uq_poll_votes_member_option"),
        # One vote per member per single-choice poll.
        sa.Index(
            "uq_poll_votes_single_choice",
            "poll_id",
            "user_id",
            unique=True,
            postgresql_where=SINGLE_CHOICE,
            sqlite_where=SINGLE_CHOICE,
        ),
        sa.Index("ix_poll_votes_option", "option_id"),
    )
