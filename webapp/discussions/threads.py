"""What the comments section of an event shows its viewer: the thread's page, the forms
they may use, and its live part's address (one place, so the event's page, the comments
page, a post's answer and the live poll all show the same)."""

from dataclasses import dataclass

from flask import url_for
from flask_login import current_user

from webapp.discussions.access import (
    EDIT_WINDOW,
    can_comment_on_event,
    can_moderate_event_comments,
    can_read_event_comments,
    is_author,
)
from webapp.discussions.forms import CommentForm
from webapp.discussions.queries import event_thread, thread_page
from webapp.web.pagination import bounded_arg

POLL_EVERY = "3s"
MAX_PAGE = 1000


@dataclass
class CommentsView:
    event: object
    discussion: object
    following: bool
    page: object
    can_read: bool
    can_write: bool
    can_moderate: bool
    form: object
    poll_every: str = POLL_EVERY

    @property
    def count(self):
        return self.discussion.comment_count if self.discussion is not None else 0

    @property
    def version(self):
        return self.discussion.version if self.discussion is not None else 0

    @property
    def is_locked(self):
        return self.discussion is not None and self.discussion.is_locked

    @property
    def live_url(self):
        return url_for(
            "discussions.live_event_comments",
            event_id=self.event.id,
            v=self.version,
            page=self.page.number,
        )

    def page_url(self, number):
        return url_for("discussions.event_comments", event_id=self.event.id, page=number)

    def may_edit(self, comment):
        return (
            is_author(current_user, comment)
            and comment.is_shown
            and self.can_write
            and self.now - comment.created_at <= EDIT_WINDOW
        )

    def may_remove(self, comment):
        return is_author(current_user, comment) and not comment.is_removed

    def may_reply(self, comment):
        return self.can_write and comment.parent_id is None and comment.is_shown

    @property
    def now(self):
        from webapp.database.times import utcnow

        return utcnow()


def comments_view(event, form=None, number=None):
    """The event's comments as current_user sees them (page `number`, else the request's
    ?page=). Someone who may not read them gets the invitation alone, and no query."""
    can_read = can_read_event_comments(current_user, event)
    number = number or bounded_arg("page", 1, 1, MAX_PAGE)
    discussion, following = event_thread(event, current_user) if can_read else (None, False)
    can_moderate = can_read and can_moderate_event_comments(current_user, event)
    page = thread_page(discussion if can_read else None, number, with_hidden=can_moderate)
    can_write = can_comment_on_event(current_user, event, discussion)
    if form is None and can_write:
        form = CommentForm(formdata=None, prefix="comment")
    return CommentsView(
        event=event,
        discussion=discussion,
        following=following,
        page=page,
        can_read=can_read,
        can_write=can_write,
        can_moderate=can_moderate,
        form=form,
    )
