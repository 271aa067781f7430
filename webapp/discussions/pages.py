"""Where a thread lives and how it is shown: an event's comments on their page (or as the
event page's section), a group's discussion on its own page. Every write answers with
the thread it changed, wherever the thread is."""

from flask import url_for

from webapp.discussions.threads import comments_view, discussion_view
from webapp.web.htmx import render


def thread_url(discussion, comment=None):
    """The thread's page, at comment (or at its comments)."""
    anchor = f"#comment-{comment.id}" if comment is not None else "#comments"
    if discussion.event_id is not None:
        return url_for("discussions.event_comments", event_id=discussion.event_id) + anchor
    return url_for("discussions.discussion", discussion_id=discussion.id) + anchor


def render_event_thread(event, status=200, form=None, number=None):
    """The event's comments page, or its section alone for htmx."""
    return render(
        "discussions/event_comments.html",
        "discussions/_thread.html",
        status=status,
        event=event,
        group=event.group,
        comments=comments_view(event, form=form, number=number),
    )


def render_discussion(discussion, status=200, form=None, number=None):
    """A group's discussion's page, or its thread's section alone for htmx."""
    return render(
        "discussions/discussion.html",
        "discussions/_thread.html",
        status=status,
        discussion=discussion,
        group=discussion.group,
        comments=discussion_view(discussion, form=form, number=number),
    )


def render_thread(discussion, status=200):
    """The thread discussion is, where it lives (after a write to one of its comments)."""
    if discussion.event is not None:
        return render_event_thread(discussion.event, status=status)
    return render_discussion(discussion, status=status)
