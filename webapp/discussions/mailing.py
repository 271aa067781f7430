"""Talk's email: a mention tells the person named at once; a thread's followers hear of
new comments at most once an hour per thread, each email telling every comment since
the last (a sweep sends those the hour held back), unless they chose to hear of them in
their digest (webapp.digest). Both go only to active accounts with
"Email me about my groups and events" on, who may still read the thread, and carry a
one-click link that stops following it ("discussion:<id>")."""

from datetime import timedelta

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.database.times import utcnow
from webapp.discussions import pages
from webapp.discussions.access import can_read_discussion
from webapp.discussions.models import Comment, Discussion, Following, TalkSetting
from webapp.discussions.services import set_following
from webapp.events.mail.sending import links_context
from webapp.events.mail.unsubscribe import Unsubscribe, register_unsubscribe_kind
from webapp.extensions import db
from webapp.jobs import SWEEP_BATCH, job_context
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.converters import MAX_ID
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

PACE = timedelta(hours=1)
# Comments one email tells; it links to the rest.
MOST_TOLD = 10


def unsubscribe_kind(discussion_id):
    return f"discussion:{discussion_id}"


def thread_url(discussion, comment=None):
    """The thread's page on the public address, at comment."""
    anchor = f"comment-{comment.id}" if comment is not None else "comments"
    if discussion.event_id is not None:
        return public_url.absolute_url(
            "discussions.event_comments", event_id=discussion.event_id, _anchor=anchor
        )
    return public_url.absolute_url(
        "discussions.discussion", discussion_id=discussion.id, _anchor=anchor
    )


def _may_be_mailed():
    """SQL on User: an active account (not a guest's) that wants news of its groups."""
    return sa.and_(
        User.active.is_(True),
        User.is_guest.is_(False),
        User.email_notifications.is_(True),
    )


def _recipients(user_ids):
    if not user_ids:
        return []
    return db.session.scalars(sa.select(User).where(User.id.in_(user_ids), _may_be_mailed())).all()


def _thread_name(discussion):
    return discussion.title or discussion.event.title


def mail_mentions(comment_id, user_ids):
    """Job: tell each member comment names that it does (if it still shows)."""
    with job_context():
        comment = db.session.get(Comment, comment_id)
        if comment is None or not comment.is_shown or comment.author is None:
            return 0
        discussion = comment.discussion
        sent = 0
        with links_context():
            for user in _recipients(user_ids):
                if not can_read_discussion(user, discussion):
                    continue
                mail.send_template(
                    user.email,
                    _l(
                        "%(name)s mentioned you: %(thread)s",
                        name=comment.author.name,
                        thread=_thread_name(discussion),
                    ),
                    "discussions/mentioned",
                    language=language_of(user),
                    user=user,
                    comment=comment,
                    discussion=discussion,
                    thread_name=_thread_name(discussion),
                    comment_url=thread_url(discussion, comment),
                    unsubscribe_url=unsubscribe_url(user, unsubscribe_kind(discussion.id)),
                )
                sent += 1
        return sent


def _due_follows(now):
    """SQL: follows with comments they have not been told of, whose hour has passed."""
    return (
        sa.select(Following)
        .join(Discussion, Discussion.id == Following.discussion_id)
        .where(
            Following.following.is_(True),
            Discussion.last_comment_id > Following.emailed_up_to,
            Discussion.hidden_at.is_(None),
            sa.or_(Following.emailed_at.is_(None), Following.emailed_at <= now - PACE),
            # Those who chose their digest hear of it there.
            ~sa.exists().where(
                TalkSetting.user_id == Following.user_id, TalkSetting.in_digest.is_(True)
            ),
        )
    )


def mail_followers_of(discussion_id):
    """Job: email the thread's followers whose hour has passed (the others wait for the
    sweep)."""
    with job_context():
        now = utcnow()
        follows = db.session.scalars(
            _due_follows(now).where(Following.discussion_id == discussion_id)
        ).all()
        return sum(_tell(follow, now) for follow in follows)


def sweep_followers(now=None):
    """Sweep: the follows the hour held back, now due; one transaction each."""
    with job_context():
        now = now or utcnow()
        due = _due_follows(now).subquery()
        keys = db.session.execute(
            sa.select(due.c.discussion_id, due.c.user_id).limit(SWEEP_BATCH)
        ).all()
        db.session.commit()
        sent = 0
        for key in keys:
            follow = db.session.get(Following, tuple(key))
            if follow is not None:
                sent += _tell(follow, now)
            db.session.commit()
    return sent


def _tell(follow, now):
    """One email to follow's person of the shown comments by others since the last they
    were told of; none (and nothing marked as sent) when there are none."""
    discussion = db.session.get(Discussion, follow.discussion_id)
    user = db.session.scalar(sa.select(User).where(User.id == follow.user_id, _may_be_mailed()))
    news = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.discussion_id == discussion.id,
            Comment.id > follow.emailed_up_to,
            Comment.hidden_at.is_(None),
            Comment.removed_at.is_(None),
            # A former member's comment is news too (SQL's NULL is never "not theirs").
            sa.or_(Comment.author_id.is_(None), Comment.author_id != follow.user_id),
        )
        .order_by(Comment.id)
    ).all()
    follow.emailed_up_to = discussion.last_comment_id
    if not news or user is None or not can_read_discussion(user, discussion):
        return 0
    follow.emailed_at = now
    with links_context():
        mail.send_template(
            user.email,
            _l("New comments: %(thread)s", thread=_thread_name(discussion)),
            "discussions/new_comments",
            language=language_of(user),
            user=user,
            discussion=discussion,
            thread_name=_thread_name(discussion),
            comments=news[-MOST_TOLD:],
            more=max(len(news) - MOST_TOLD, 0),
            thread_url=thread_url(discussion, news[0]),
            unsubscribe_url=unsubscribe_url(user, unsubscribe_kind(discussion.id)),
        )
    return 1


def _describe(user, detail):
    """The Unsubscribe of one thread for user, or None."""
    if not detail.isdigit() or not 1 <= int(detail) <= MAX_ID:
        return None
    discussion = db.session.get(Discussion, int(detail))
    if discussion is None:
        return None
    return Unsubscribe(
        user,
        unsubscribe_kind(discussion.id),
        # TRANSLATORS: read in "Hearth will no longer email you %(name)s".
        _("the comments on %(thread)s", thread=_thread_name(discussion)),
        _("Follow these comments by email"),
        "discussions",
        turn_off=lambda: set_following(user, discussion, False),
        settings_url=pages.thread_url(discussion),
    )


register_unsubscribe_kind("discussion", _describe)
