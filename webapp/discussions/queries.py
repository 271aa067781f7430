"""Reads of talk: an event's thread with whether the viewer follows it, and a page of a
thread's comments with their replies and authors (one statement each)."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.discussions.models import Comment, Discussion, Following, TalkSetting
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus

# First-level comments a thread's page shows (each with all its replies); an event's own
# page shows the latest few, and links to the rest.
PER_PAGE = 20
ON_EVENT_PAGE = 5


def event_thread(event, user):
    """(the event's discussion or None, whether user follows it): one statement, none
    while the event has never had a comment."""
    if not event.has_comments:
        return None, False
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


@dataclass
class ThreadPage:
    """A page of a thread: first-level comments (pinned first, then the latest first),
    each with its replies (oldest first), and whether there are older or newer pages."""

    number: int = 1
    per_page: int = PER_PAGE
    comments: list = field(default_factory=list)
    replies: dict = field(default_factory=dict)  # comment id -> [replies]
    has_older: bool = False

    @property
    def has_newer(self):
        return self.number > 1


def thread_page(discussion, number, with_hidden=False, per_page=PER_PAGE):
    """Page `number` of discussion, per_page first-level comments with their replies;
    hidden comments (and their replies) only with_hidden (those who keep order see them,
    marked)."""
    page = ThreadPage(number=number, per_page=per_page)
    if discussion is None or discussion.last_comment_id == 0:
        return page
    first_level = sa.select(Comment.id).where(
        Comment.discussion_id == discussion.id, Comment.parent_id.is_(None)
    )
    if not with_hidden:
        first_level = first_level.where(Comment.hidden_at.is_(None))
    first_level = (
        first_level.order_by(
            Comment.pinned_at.is_(None), Comment.pinned_at.desc(), Comment.id.desc()
        )
        .limit(per_page + 1)
        .offset((number - 1) * per_page)
    ).subquery()
    shown = sa.select(first_level.c.id)
    statement = (
        sa.select(Comment)
        .outerjoin(User, User.id == Comment.author_id)
        .options(contains_eager(Comment.author))
        .where(sa.or_(Comment.id.in_(shown), Comment.parent_id.in_(shown)))
        .order_by(Comment.id)
    )
    if not with_hidden:
        statement = statement.where(Comment.hidden_at.is_(None))
    rows = db.session.scalars(statement).all()
    firsts = [comment for comment in rows if comment.parent_id is None]
    firsts.sort(
        key=lambda c: (c.pinned_at is None, -(c.pinned_at.timestamp() if c.pinned_at else 0), -c.id)
    )
    page.has_older = len(firsts) > per_page
    page.comments = firsts[:per_page]
    kept = {comment.id for comment in page.comments}
    for comment in rows:
        if comment.parent_id in kept:
            page.replies.setdefault(comment.parent_id, []).append(comment)
    return page


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
