"""Who may do what with talk: the answers of the event or group it is under.

Reading comments takes being part of the group: an active member, or an organiser (a
site admin, the event's co-hosts) who keeps it in order. Names and words of members stay
among them: a public event's page tells visitors that members talk there, not what they
say. Writing takes an active member, the event published and the thread not locked
(organisers and co-hosts still write in a locked one). Editing is the author's, within
EDIT_WINDOW; removing is the author's at any time. Hiding, pinning and locking are the
event's organisers' and co-hosts' (a group discussion's: the group's organisers').
A member who leaves or is removed keeps their comments, still under their name, and
can no longer read or write.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.discussions.models import Comment, Discussion
from webapp.events.access import can_manage_event, can_see_event
from webapp.events.cohosts.queries import WithCohost
from webapp.events.models import Event
from webapp.groups.access import ReadWithMembership, can_manage, can_see, can_take_part
from webapp.groups.models import Group

EDIT_WINDOW = timedelta(minutes=30)


def can_read_event_comments(user, event):
    return can_see_event(user, event) and (
        can_take_part(user, event.group) or can_manage_event(user, event)
    )


def can_moderate_event_comments(user, event):
    return can_manage_event(user, event)


def may_write_under(user, event):
    """Write under event at all: an active member of its group, the event published."""
    return not event.is_draft and can_take_part(user, event.group) and can_see_event(user, event)


def can_comment_on_event(user, event, discussion=None):
    """Write a comment or a reply now: may_write_under, unless the thread is locked (its
    organisers and co-hosts still may)."""
    if not may_write_under(user, event):
        return False
    locked = discussion is not None and discussion.is_locked
    return not locked or can_manage_event(user, event)


def can_read_discussion(user, discussion):
    event = discussion.event
    if event is not None:
        return can_read_event_comments(user, event) and (
            not discussion.is_hidden or can_manage_event(user, event)
        )
    group = discussion.group
    return can_read_group_talk(user, group) and (
        not discussion.is_hidden or can_manage(user, group)
    )


def can_moderate_discussion(user, discussion):
    if discussion.event is not None:
        return can_moderate_event_comments(user, discussion.event)
    return can_manage(user, discussion.group)


def can_write_in(user, discussion):
    if discussion.event is not None:
        return can_comment_on_event(user, discussion.event, discussion)
    group = discussion.group
    if not can_take_part(user, group) or discussion.is_hidden:
        return False
    return not discussion.is_locked or can_manage(user, group)


def can_read_comment(user, comment):
    if not can_read_discussion(user, comment.discussion):
        return False
    return not comment.is_hidden or can_moderate_comment(user, comment)


def can_moderate_comment(user, comment):
    return can_moderate_discussion(user, comment.discussion)


def can_edit_comment(user, comment, now=None):
    """The author, while the comment is theirs to take back (EDIT_WINDOW) and shown."""
    return (
        is_author(user, comment)
        and comment.is_shown
        and (now or utcnow()) - comment.created_at <= EDIT_WINDOW
        and can_write_in(user, comment.discussion)
    )


def can_remove_comment(user, comment):
    return is_author(user, comment) and not comment.is_removed and can_read_comment(user, comment)


def can_reply_to(user, comment):
    return comment.parent_id is None and comment.is_shown and can_write_in(user, comment.discussion)


def is_author(user, comment):
    return user.is_authenticated and comment.author_id == user.id


class _WithCohostOfItsEvent:
    """WithCohost for a comment: whether the viewer co-hosts its discussion's event, when
    it has one (a group's discussion has none)."""

    def __init__(self):
        self.inner = WithCohost(event_of=lambda comment: comment.discussion.event)

    def add(self, statement):
        return self.inner.add(statement)

    def remember(self, user, comment, *values):
        if comment.discussion.event is not None:
            self.inner.remember(user, comment, *values)


_COMMENT = ReadWithMembership(
    sa.select(Comment)
    .join(Discussion, Discussion.id == Comment.discussion_id)
    .join(Group, Group.id == Discussion.group_id)
    .outerjoin(Event, Event.id == Discussion.event_id)
    .outerjoin(User, User.id == Comment.author_id)
    .options(
        contains_eager(Comment.discussion).contains_eager(Discussion.group),
        contains_eager(Comment.discussion).contains_eager(Discussion.event),
        contains_eager(Comment.author),
    )
    .where(Comment.id == sa.bindparam("comment_id")),
    Discussion.group_id,
    lambda comment: comment.discussion.group,
    also=_WithCohostOfItsEvent(),
)


def load_comment(comment_id):
    """The comment with its discussion, its group and event, its author, and the viewer's
    membership and whether they co-host the event (one query)."""
    return _COMMENT(comment_id=comment_id)


def find_comment(comment_id):
    """The comment for the current user: 404 when it is not theirs to read."""
    comment = load_comment(comment_id)
    if comment is None or not can_read_comment(current_user, comment):
        abort(404)
    return comment


def get_comment(comment_id, need=can_read_comment):
    """find_comment, then 403 unless need(current_user, comment) holds."""
    comment = find_comment(comment_id)
    if not need(current_user, comment):
        abort(403)
    return comment


def can_start_discussion(user, group):
    """Start a discussion in group: its active members."""
    return can_take_part(user, group)


def can_read_group_talk(user, group):
    """Read a group's discussions: part of it (an active member, or one who keeps order)."""
    return can_see(user, group) and (can_take_part(user, group) or can_manage(user, group))


_DISCUSSION = ReadWithMembership(
    sa.select(Discussion)
    .join(Group, Group.id == Discussion.group_id)
    .options(contains_eager(Discussion.group))
    .where(Discussion.id == sa.bindparam("discussion_id"), Discussion.event_id.is_(None)),
    Discussion.group_id,
    lambda discussion: discussion.group,
)


def find_discussion(discussion_id):
    """A group's discussion (with its group, and the viewer's membership, in one query):
    404 when it is not the current user's to read. An event's thread is not one: it lives
    under its event."""
    discussion = _DISCUSSION(discussion_id=discussion_id)
    if discussion is None or not can_read_discussion(current_user, discussion):
        abort(404)
    return discussion


def get_discussion(discussion_id, need=can_read_discussion):
    """find_discussion, then 403 unless need(current_user, discussion) holds."""
    discussion = find_discussion(discussion_id)
    if not need(current_user, discussion):
        abort(403)
    return discussion
