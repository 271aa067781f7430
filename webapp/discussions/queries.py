"""Reads of talk: an event's thread with whether the viewer follows it, and a page of a
thread's comments with their replies and authors (one statement each)."""

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.database.prefetch import prefetched
from webapp.discussions.models import (
    Comment,
    CommentState,
    Discussion,
    Following,
    TalkSetting,
)
from webapp.events.access import EVENT_THREADS
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus

# First-level comments a thread's page shows (each with all its replies); an event's own
# page shows the latest few, and links to the rest.
PER_PAGE = 20
ON_EVENT_PAGE = 5


def event_thread(event, user):
    """(the event's discussion or None, whether user follows it): one statement, none
    while the event has never had a comment, or when the event's page read them with the
    event (webapp.events.access)."""
    if not event.has_comments:
        return None, False
    known = prefetched(EVENT_THREADS).get(event.id)
    if known is not None:
        return known
    user_id = user.id if user.is_authenticated else None
    row = db.session.execute(
        sa.select(Discussion, Following.following)
        .outerjoin(
            Following,
            sa.and_(Following.discussion_id == Discussion.id, Following.user_id == user_id),
        )
        .where(Discussion.event_id == event.id)
    ).first()
    if row is None:
        return None, False
    return row[0], bool(row[1])


def following_of(user, discussion):
    """Whether user follows discussion (by email)."""
    if not user.is_authenticated:
        return False
    return bool(
        db.session.scalar(
            sa.select(Following.following).where(
                Following.discussion_id == discussion.id, Following.user_id == user.id
            )
        )
    )


class _CommentColumns(NamedTuple):
    id: int
    parent_id: int | None
    author_id: int | None
    # None once the author's account is gone.
    author_name: str | None
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    removed_at: datetime | None
    hidden_at: datetime | None
    pinned_at: datetime | None


class CommentLine(_CommentColumns, CommentState):
    """What a thread's page shows of a comment: read as plain columns, not as a Comment (a
    page changes none of them, and loading its rows with their authors as ORM objects was
    a large share of the page), and hashable, so that its HTML is kept for it
    (webapp.discussions.rendering)."""

    __slots__ = ()


@dataclass(frozen=True)
class ThreadPage:
    """A page of a thread: first-level comments (pinned first, then the latest first),
    each with its replies (oldest first), and whether there are older or newer pages."""

    number: int = 1
    per_page: int = PER_PAGE
    comments: tuple = ()
    replies: dict = field(default_factory=dict)  # comment id -> (replies)
    has_older: bool = False

    @property
    def has_newer(self):
        return self.number > 1


# Pages of threads each web process keeps, by their threads' versions: a thread's page is
# read again only once its version moved on, which every change to what it shows does
# (a comment written, edited, removed, hidden or pinned, an author renamed or gone:
# webapp.discussions.services and .moderation). Reading a page and its authors was the
# largest share of a long thread's page, and of the event page under which it runs.
PAGES_KEPT = 256


def thread_page(discussion, number, with_hidden=False, per_page=PER_PAGE):
    """Page `number` of discussion, per_page first-level comments with their replies (as
    CommentLines); hidden comments (and their replies) only with_hidden (those who keep
    order see them, marked). Shared by every request for it: read, never changed."""
    if discussion is None or discussion.last_comment_id == 0:
        return ThreadPage(number=number, per_page=per_page)
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return _kept_page(database, discussion.id, discussion.version, number, with_hidden, per_page)


@functools.lru_cache(maxsize=PAGES_KEPT)
def _kept_page(database, discussion_id, version, number, with_hidden, per_page):
    """The page as its thread is at version, in database (a key only: one process may
    serve more than one, as the tests do)."""
    return _read_page(discussion_id, number, with_hidden, per_page)


def _read_page(discussion_id, number, with_hidden, per_page):
    lines = _comment_lines(_page_statement(discussion_id, number, with_hidden, per_page))
    firsts = [comment for comment in lines if comment.parent_id is None]
    firsts.sort(
        key=lambda c: (c.pinned_at is None, -(c.pinned_at.timestamp() if c.pinned_at else 0), -c.id)
    )
    shown_firsts = tuple(firsts[:per_page])
    return ThreadPage(
        number=number,
        per_page=per_page,
        comments=shown_firsts,
        replies=_replies_under(shown_firsts, lines),
        has_older=len(firsts) > per_page,
    )


def _page_statement(discussion_id, number, with_hidden, per_page):
    """Statement: the page's first-level comments, and one more to tell whether an older
    page follows, with all their replies and their authors' names, in the order written."""
    shown = sa.select(_first_levels_on_page(discussion_id, number, with_hidden, per_page).c.id)
    statement = (
        sa.select(
            Comment.id,
            Comment.parent_id,
            Comment.author_id,
            User.first_name,
            User.last_name,
            Comment.body_html,
            Comment.created_at,
            Comment.edited_at,
            Comment.removed_at,
            Comment.hidden_at,
            Comment.pinned_at,
        )
        .outerjoin(User, User.id == Comment.author_id)
        .where(sa.or_(Comment.id.in_(shown), Comment.parent_id.in_(shown)))
        .order_by(Comment.id)
    )
    if not with_hidden:
        statement = statement.where(Comment.hidden_at.is_(None))
    return statement


def _first_levels_on_page(discussion_id, number, with_hidden, per_page):
    """Subquery: the ids of the page's first-level comments (pinned first, then the latest
    first), and of the one after them."""
    first_level = sa.select(Comment.id).where(
        Comment.discussion_id == discussion_id, Comment.parent_id.is_(None)
    )
    if not with_hidden:
        first_level = first_level.where(Comment.hidden_at.is_(None))
    return (
        first_level.order_by(
            Comment.pinned_at.is_(None), Comment.pinned_at.desc(), Comment.id.desc()
        )
        .limit(per_page + 1)
        .offset((number - 1) * per_page)
    ).subquery()


def _comment_lines(statement):
    """The statement's rows as CommentLines, each author's names made one."""
    return [
        CommentLine(
            row[0],
            row[1],
            row[2],
            None if row[3] is None else f"{row[3]} {row[4]}".strip(),
            *row[5:],
        )
        for row in db.session.execute(statement)
    ]


def _replies_under(firsts, lines):
    """comment id -> (its replies among lines, oldest first), for each of firsts."""
    kept = {comment.id for comment in firsts}
    replies = {}
    for comment in lines:
        if comment.parent_id in kept:
            replies.setdefault(comment.parent_id, []).append(comment)
    return {parent: tuple(answers) for parent, answers in replies.items()}


def comments_of_author(user):
    """Everything user wrote (their data download): oldest first."""
    return db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
    ).all()


# A group's discussions a page shows; its own page shows fewer.
DISCUSSIONS_PER_PAGE = 20
ON_GROUP_PAGE = 5


def group_discussions(group, with_hidden=False):
    """Statement: the group's discussions, pinned first, then the latest talked in, with
    who started each."""
    statement = (
        sa.select(Discussion)
        .outerjoin(User, User.id == Discussion.started_by_id)
        .options(contains_eager(Discussion.started_by))
        .where(Discussion.group_id == group.id, Discussion.event_id.is_(None))
        .order_by(
            Discussion.pinned_at.is_(None),
            Discussion.pinned_at.desc(),
            Discussion.last_comment_at.desc(),
            Discussion.id.desc(),
        )
    )
    if not with_hidden:
        statement = statement.where(Discussion.hidden_at.is_(None))
    return statement


def latest_discussions(group, with_hidden=False):
    """The few the group's page shows (none asked for until the group has one)."""
    if not group.has_discussions:
        return []
    return db.session.scalars(group_discussions(group, with_hidden).limit(ON_GROUP_PAGE)).all()


def talk_in_digest(user):
    """Whether user hears of the threads they follow in their digest (else by email)."""
    return bool(
        db.session.scalar(sa.select(TalkSetting.in_digest).where(TalkSetting.user_id == user.id))
    )


def threads_with_news(user, most):
    """The threads user follows by digest with comments they were not told of, in the
    groups (and under the events) they may still read, the latest talked in first."""
    statement = (
        sa.select(Discussion)
        .join(Following, Following.discussion_id == Discussion.id)
        .join(Group, Group.id == Discussion.group_id)
        .outerjoin(Event, Event.id == Discussion.event_id)
        # The digest names each thread's group: read with it, not once per thread.
        .options(contains_eager(Discussion.event), contains_eager(Discussion.group))
        .where(
            Following.user_id == user.id,
            Following.following.is_(True),
            Discussion.last_comment_id > Following.emailed_up_to,
            Discussion.hidden_at.is_(None),
            sa.or_(
                Discussion.event_id.is_(None),
                sa.and_(Event.deleted_at.is_(None), Event.status != EventStatus.DRAFT),
            ),
            sa.exists().where(
                Membership.group_id == Discussion.group_id,
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.ACTIVE,
            ),
        )
        .order_by(Discussion.last_comment_at.desc(), Discussion.id.desc())
        .limit(most)
    )
    return db.session.scalars(statement).all()
