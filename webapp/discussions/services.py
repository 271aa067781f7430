"""Writes of talk: comments and replies, edits and removals by their authors, and
following (the organisers' hide, pin and lock are moderation.py). Each change to a
thread takes its discussion's lock, keeps its count of shown comments, and moves its
live version on (move_thread_version_on, which moderation.py uses too)."""

import sqlalchemy as sa

from webapp import live
from webapp.accounts.signals import renamed
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.discussions.access import (
    can_edit_comment,
    can_reply_to,
    can_write_in,
)
from webapp.discussions.mentions import link_mentions, members_named
from webapp.discussions.models import (
    BODY_MAX,
    TITLE_MAX,
    Comment,
    Discussion,
    Following,
    TalkSetting,
)
from webapp.extensions import db
from webapp.jobs import enqueue_after_commit
from webapp.web.markdown import render_markdown
from webapp.web.translating import gettext as _


def comments_topic(discussion):
    """The live topic of a thread's comments: an event's by the event (its page polls
    before the thread exists), a group discussion's by itself."""
    if discussion.event_id is not None:
        return event_comments_topic(discussion.event_id)
    return comments_topic_of_discussion(discussion.id)


def event_comments_topic(event_id):
    return live.topic("comments", "event", event_id)


def comments_topic_of_discussion(discussion_id):
    return live.topic("comments", "discussion", discussion_id)


def discussion_of_event(event):
    """The event's thread, made now if it has none (two first comments at once make one)."""
    discussion = db.session.scalar(sa.select(Discussion).where(Discussion.event_id == event.id))
    if discussion is None:
        now = utcnow()
        insert_or_ignore(
            Discussion,
            group_id=event.group_id,
            event_id=event.id,
            created_at=now,
            last_comment_at=now,
            version=live.first_version(),
        )
        discussion = db.session.scalar(sa.select(Discussion).where(Discussion.event_id == event.id))
        event.has_comments = True
    return discussion


def comment_on_event(actor, event, body):
    """A new comment under event, from one of its group's members."""
    discussion = discussion_of_event(event)
    return _add_comment(actor, discussion, None, body)


def start_discussion(actor, group, title, body):
    """A new discussion in group, with its first comment, from one of its members."""
    title = (title or "").strip()
    if not title:
        raise RuleError(_("Give the discussion a title."), "title")
    if len(title) > TITLE_MAX:
        raise RuleError(_("At most %(count)d characters, please.", count=TITLE_MAX), "title")
    now = utcnow()
    discussion = Discussion(
        group_id=group.id,
        title=title,
        started_by_id=actor.id,
        created_at=now,
        last_comment_at=now,
        version=live.first_version(),
    )
    db.session.add(discussion)
    db.session.flush()
    group.has_discussions = True
    _add_comment(actor, discussion, None, body)
    return discussion


def comment_in(actor, discussion, body):
    """A new comment in a group's discussion."""
    return _add_comment(actor, discussion, None, body)


def reply_to(actor, parent, body):
    """A reply to a comment (replies are one level deep: should a reply be answered, the
    answer goes under the comment it replied to)."""
    lock_row(parent.discussion, read_again=True)
    if parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    if not can_reply_to(actor, parent):
        raise RuleError(_("This comment takes no more replies."), "body")
    return _add_comment(actor, parent.discussion, parent, body)


def _add_comment(actor, discussion, parent, body):
    lock_row(discussion, read_again=True)
    if not can_write_in(actor, discussion):
        raise RuleError(_("This conversation is closed to new comments."), "body")
    body = _checked_body(body)
    named = members_named(discussion.group, body)
    now = utcnow()
    comment = Comment(
        discussion_id=discussion.id,
        parent_id=parent.id if parent is not None else None,
        author_id=actor.id,
        body=body,
        body_html=link_mentions(render_markdown(body), named),
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    discussion.comment_count += 1
    discussion.last_comment_at = now
    discussion.last_comment_id = comment.id
    move_thread_version_on(discussion)
    # The author follows what they write in (unless they stopped), and has read it.
    _follow(discussion, actor.id, up_to=comment.id)
    for user in named.values():
        if user.id != actor.id:
            # Told of this comment by the mention: a new follower starts after it.
            _follow(discussion, user.id, starts_after=comment.id)
    if any(user.id != actor.id for user in named.values()):
        enqueue_after_commit(
            "webapp.discussions.mailing.mail_mentions",
            comment,
            [user.id for user in named.values() if user.id != actor.id],
        )
    enqueue_after_commit("webapp.discussions.mailing.mail_followers_of", discussion)
    return comment


def _checked_body(body):
    body = (body or "").strip()
    if not body:
        raise RuleError(_("Write something first."), "body")
    if len(body) > BODY_MAX:
        raise RuleError(_("At most %(count)d characters, please.", count=BODY_MAX), "body")
    return body


def _follow(discussion, user_id, up_to=None, starts_after=0):
    """user follows discussion, unless they said they would not. up_to: the comment they
    have seen (their own); starts_after: where a new follower's news begin."""
    insert_or_ignore(
        Following,
        discussion_id=discussion.id,
        user_id=user_id,
        emailed_up_to=up_to or starts_after,
    )
    if up_to is not None:
        db.session.execute(
            sa.update(Following)
            .where(
                Following.discussion_id == discussion.id,
                Following.user_id == user_id,
                Following.emailed_up_to < up_to,
            )
            .values(emailed_up_to=up_to)
        )


def set_following(user, discussion, following):
    """user follows discussion or stops; stopping is kept, so writing again does not
    restart it."""
    if not insert_or_ignore(
        Following,
        discussion_id=discussion.id,
        user_id=user.id,
        following=following,
        emailed_up_to=discussion.last_comment_id,
    ):
        db.session.execute(
            sa.update(Following)
            .where(Following.discussion_id == discussion.id, Following.user_id == user.id)
            .values(following=following)
        )


def set_talk_in_digest(user, in_digest):
    """New comments in the threads user follows: in their digest, or by email."""
    if not insert_or_ignore(TalkSetting, user_id=user.id, in_digest=in_digest):
        db.session.execute(
            sa.update(TalkSetting).where(TalkSetting.user_id == user.id).values(in_digest=in_digest)
        )


def mark_told(user, discussions):
    """user was told (by their digest) of every comment so far in discussions."""
    for discussion in discussions:
        db.session.execute(
            sa.update(Following)
            .where(
                Following.discussion_id == discussion.id,
                Following.user_id == user.id,
                Following.emailed_up_to < discussion.last_comment_id,
            )
            .values(emailed_up_to=discussion.last_comment_id)
        )


def edit_comment(actor, comment, body):
    """The author's new words, within the edit window; shown as edited."""
    lock_row(comment.discussion, read_again=True)
    if not can_edit_comment(actor, comment):
        raise RuleError(_("This comment can no longer be edited."), "body")
    body = _checked_body(body)
    if body == comment.body:
        return comment
    named = members_named(comment.discussion.group, body)
    comment.body = body
    comment.body_html = link_mentions(render_markdown(body), named)
    comment.edited_at = utcnow()
    move_thread_version_on(comment.discussion)
    return comment


def remove_comment(actor, comment):
    """The author takes their comment back: its words go, its place (and replies) stay."""
    lock_row(comment.discussion, read_again=True)
    if comment.is_removed:
        return comment
    if comment.is_shown:
        comment.discussion.comment_count -= 1
    comment.removed_at = utcnow()
    comment.body = ""
    comment.body_html = ""
    move_thread_version_on(comment.discussion)
    return comment


def move_thread_version_on(discussion):
    """Move the thread's live version on, published once the change commits: to the
    clock's, not merely one more, so that a version names one state of the thread even
    in a database put back to an earlier one (each web process keeps pages of threads by
    their versions: webapp.discussions.queries)."""
    discussion.version = max(discussion.version + 1, live.first_version())
    db.session.flush()
    live.publish_after_commit(comments_topic(discussion), discussion.version)


@renamed.connect
def threads_show_new_name(user, **extra):
    """The threads user wrote in show their name: moved on, so that pages kept and pages
    open show the new one."""
    author_changed(user)


def author_changed(user):
    """Move on every thread user wrote in (their name changed, or their account goes)."""
    written_in = sa.select(Comment.discussion_id).where(Comment.author_id == user.id)
    discussions = db.session.scalars(
        sa.select(Discussion)
        .where(Discussion.id.in_(written_in))
        .order_by(Discussion.id)
        .with_for_update()
    ).all()
    for discussion in discussions:
        move_thread_version_on(discussion)
