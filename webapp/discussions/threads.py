"""What a thread shows its viewer, for an event's comments and a group's discussion
alike: a page of its comments, the forms they may use, and the addresses of its parts
(one place, so a page, a post's answer and the live poll all show the same)."""

import functools
from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from webapp.database.times import utcnow
from webapp.discussions.access import (
    EDIT_WINDOW,
    can_comment_on_event,
    can_moderate_discussion,
    can_moderate_event_comments,
    can_read_discussion,
    can_read_event_comments,
    can_write_in,
)
from webapp.discussions.forms import CommentForm
from webapp.discussions.queries import (
    ON_EVENT_PAGE,
    PER_PAGE,
    event_thread,
    following_of,
    thread_page,
)
from webapp.discussions.rendering import CommentActions, CommentRenderer, section_html
from webapp.groups.access import can_take_part
from webapp.web.pagination import bounded_arg

POLL_EVERY = "3s"
MAX_PAGE = 1000


@dataclass
class CommentsView:
    """One thread for current_user. event: the event it is under, or None for a group's
    discussion; discussion: None for an event not commented on yet."""

    event: object
    group: object
    discussion: object
    following: bool
    page: object
    can_read: bool
    can_write: bool
    can_moderate: bool
    # A posted comment's form, back with its messages; None for a blank one.
    refused_form: object = None
    poll_every: str = POLL_EVERY

    @property
    def form_is_blank(self):
        return self.refused_form is None

    @functools.cached_property
    def form(self):
        """The refused comment's form, else a blank one for whoever may write: made when
        the section is rendered, not for a section that is kept."""
        if self.refused_form is not None:
            return self.refused_form
        return CommentForm(formdata=None, prefix="comment") if self.can_write else None

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
    def section_id(self):
        if self.event is not None:
            return f"comments-{self.event.id}"
        return f"discussion-{self.discussion.id}"

    @property
    def list_id(self):
        return f"{self.section_id}-list"

    @property
    def size_args(self):
        """What a form on the event's own page adds to its address, so that its answer is
        the same few comments (a live poll's too)."""
        return {"per_page": ON_EVENT_PAGE} if self.compact else {}

    def _url(self, event_endpoint, discussion_endpoint, **values):
        values = {**self.size_args, **values}
        if self.event is not None:
            return url_for(event_endpoint, event_id=self.event.id, **values)
        return url_for(discussion_endpoint, discussion_id=self.discussion.id, **values)

    @property
    def post_url(self):
        return self._url("discussions.event_comments", "discussions.discussion")

    @property
    def follow_url(self):
        return self._url("discussions.follow", "discussions.follow_discussion")

    @property
    def lock_url(self):
        return self._url("discussions.lock", "discussions.manage_discussion.lock")

    @property
    def compact(self):
        """The event's own page: its latest comments, and a link to them all."""
        return self.page.per_page == ON_EVENT_PAGE

    @property
    def live_url(self):
        return self._url(
            "discussions.live_event_comments",
            "discussions.live_discussion",
            v=self.version,
            page=self.page.number,
        )

    def page_url(self, number):
        # The thread's own page, whatever page links to it.
        if self.event is not None:
            return url_for("discussions.event_comments", event_id=self.event.id, page=number)
        return url_for("discussions.discussion", discussion_id=self.discussion.id, page=number)

    @functools.cached_property
    def _viewer_id(self):
        return current_user.id if current_user.is_authenticated else None

    @functools.cached_property
    def _takes_part(self):
        return current_user.is_authenticated and can_take_part(current_user, self.group)

    def _is_author(self, comment):
        return self._viewer_id is not None and comment.author_id == self._viewer_id

    def may_edit(self, comment):
        return (
            self._is_author(comment)
            and comment.is_shown
            and self.can_write
            and utcnow() - comment.created_at <= EDIT_WINDOW
        )

    def may_remove(self, comment):
        return self._is_author(comment) and not comment.is_removed

    def may_report(self, comment):
        """Offer the report link (webapp.reports holds the rule): a member's, for a shown
        comment of someone else's."""
        return self._takes_part and not comment.is_removed and not self._is_author(comment)

    def may_reply(self, comment):
        return self.can_write and comment.parent_id is None and comment.is_shown

    def comment_html(self, comment, csrf):
        """comment (a CommentLine of this page) as this viewer sees it, its forms carrying
        csrf (webapp.discussions.rendering.CommentRenderer)."""
        actions = CommentActions(
            reply=self.may_reply(comment),
            edit=self.may_edit(comment),
            remove=self.may_remove(comment),
            report=self.may_report(comment),
            moderate=self.can_moderate and not comment.is_removed,
            section_id=self.section_id,
            per_page=ON_EVENT_PAGE if self.compact else None,
        )
        return self._renderer(comment, actions, csrf)

    @functools.cached_property
    def _renderer(self):
        return CommentRenderer()

    def section_html(self):
        """The thread's section (discussions/_thread_section.html) as this viewer sees
        it: kept by section_key when it holds nothing of this request's own."""
        return section_html(self, self.section_key())

    def section_key(self):
        """All the section shows, for a reader with a blank comment form (webapp.discussions.
        rendering keeps it by this); None for anyone else (a visitor, an outsider, a
        refused comment's words and errors), whose section is rendered and not kept."""
        if not (self.can_read and current_user.is_authenticated and self.form_is_blank):
            return None
        lines = [*self.page.comments, *(r for rs in self.page.replies.values() for r in rs)]
        theirs = tuple((c.id, self.may_edit(c)) for c in lines if self._is_author(c))
        return (
            self.section_id,
            self.version,
            self.page.number,
            self.page.per_page,
            self.can_write,
            self.can_moderate,
            self._takes_part,
            self.following,
            self.is_locked,
            theirs,
        )


def comments_view(event, form=None, number=None, per_page=None):
    """The event's comments as current_user sees them (page `number`, else the request's
    ?page=). Someone who may not read them gets the invitation alone, and no query."""
    can_read = can_read_event_comments(current_user, event)
    discussion, following = event_thread(event, current_user) if can_read else (None, False)
    can_moderate = can_read and can_moderate_event_comments(current_user, event)
    return _view(
        event,
        event.group,
        discussion,
        following,
        can_read,
        can_comment_on_event(current_user, event, discussion),
        can_moderate,
        form,
        number,
        per_page,
    )


def discussion_view(discussion, form=None, number=None):
    """A group's discussion as current_user sees it (whom find_discussion let read it)."""
    return _view(
        None,
        discussion.group,
        discussion,
        following_of(current_user, discussion),
        can_read_discussion(current_user, discussion),
        can_write_in(current_user, discussion),
        can_moderate_discussion(current_user, discussion),
        form,
        number,
    )


def thread_view(discussion, form=None, number=None):
    """comments_view or discussion_view, as the thread is an event's or a group's."""
    if discussion.event is not None:
        return comments_view(discussion.event, form, number)
    return discussion_view(discussion, form, number)


def _view(
    event,
    group,
    discussion,
    following,
    can_read,
    can_write,
    can_moderate,
    form,
    number,
    per_page=None,
):
    number = number or bounded_arg("page", 1, 1, MAX_PAGE)
    # A live poll asks for the size of the part it polls for.
    per_page = per_page or (
        ON_EVENT_PAGE if request.args.get("per_page") == str(ON_EVENT_PAGE) else PER_PAGE
    )
    page = thread_page(
        discussion if can_read else None, number, with_hidden=can_moderate, per_page=per_page
    )
    return CommentsView(
        event=event,
        group=group,
        discussion=discussion,
        following=following,
        page=page,
        can_read=can_read,
        can_write=can_write,
        can_moderate=can_moderate,
        refused_form=form,
    )
