"""Talk: a discussion is a thread of comments. Each event has one (its comments, no title,
made with the first comment); a group's members start others, each with a title. A
comment answers the discussion or, one level deep, another comment of it."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.database.times import UTCDateTime, utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group

TITLE_MAX = 150
BODY_MAX = 5000


class Discussion(db.Model):
    """A thread: an event's comments (event_id set, no title) or a group's discussion
    (a title). Pinned, locked and hidden are the organisers' (when, or None)."""

    __tablename__ = "discussions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    # One per event: two first comments at once make one discussion (the unique key).
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    title: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX), nullable=True)
    started_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_comment_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The latest comment's id: a follower whose emailed_up_to is below it has news.
    last_comment_id: Mapped[int] = mapped_column(default=0, server_default="0")
    # Comments anyone may read (not hidden, not removed): what lists and the event's
    # page show without counting.
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # The live part's version, moved on by every change under the discussion's lock
    # (webapp.live: a version kept in its row).
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    pinned_at = mapped_column(UTCDateTime, nullable=True)
    locked_at = mapped_column(UTCDateTime, nullable=True)
    hidden_at = mapped_column(UTCDateTime, nullable=True)

    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    group: Mapped[Group] = relationship()
    event: Mapped[Event | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("event_id IS NOT NULL OR title IS NOT NULL", name="event_or_title"),
        # A group's discussions, pinned first then the latest talked in.
        sa.Index("ix_discussions_group_latest", "group_id", "last_comment_at", "id"),
    )

    @property
    def is_locked(self):
        return self.locked_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class CommentState:
    """Whether a comment shows, from its removed_at and hidden_at: for a Comment and for
    the plain rows a thread's page reads (webapp.discussions.queries.CommentLine)."""

    __slots__ = ()

    @property
    def is_removed(self):
        return self.removed_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def is_shown(self):
        return self.removed_at is None and self.hidden_at is None


class Comment(CommentState, db.Model):
    """One comment. Removed by its author: the row stays (so do its replies), its text
    goes. Hidden by an organiser: kept for the record, shown to nobody but them."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussions.id", ondelete="CASCADE"))
    # A reply's comment; replies are one level deep (webapp.discussions.services).
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # Gone with a deleted account: the comment stays, said to be a former member's.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered (Markdown, sanitised, mentions linked) when written, never on each view.
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    edited_at = mapped_column(UTCDateTime, nullable=True)
    removed_at = mapped_column(UTCDateTime, nullable=True)
    hidden_at = mapped_column(UTCDateTime, nullable=True)
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    pinned_at = mapped_column(UTCDateTime, nullable=True)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    discussion: Mapped[Discussion] = relationship()

    __table_args__ = (
        # A discussion's comments in order: the page reads them by this.
        sa.Index("ix_comments_discussion", "discussion_id", "id"),
    )


class Following(db.Model):
    """Whether someone follows a discussion: made following when they write in it or are
    named in it; a row saying no once they stop, so writing again does not restart it.
    emailed_at and emailed_up_to pace the mail: one an hour per discussion, telling the
    comments since the last."""

    __tablename__ = "discussion_follows"

    discussion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("discussions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    following: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    emailed_at = mapped_column(UTCDateTime, nullable=True)
    # The last comment told of (by email, or written by them): the next email starts after.
    emailed_up_to: Mapped[int] = mapped_column(default=0, server_default="0")


class TalkSetting(db.Model):
    """How someone hears of new comments in threads they follow: by email (at most one
    an hour per thread; no row says so) or in their digest (chosen in the digest's
    settings, which keep it off while the digest is). Mentions are emailed either way."""

    __tablename__ = "talk_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    in_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
