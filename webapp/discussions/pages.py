"""Where a thread lives and how it is shown: an event's comments on their page (or as the
event page's section), a group's discussion on its own page. Every write answers with
the thread it changed, wherever the thread is."""

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp import live
from webapp.discussions.services import set_following
from webapp.discussions.threads import comments_view, discussion_view
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render, wants_fragment
from webapp.web.translating import gettext as _


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


def answer_live_poll(topic, page_url, load):
    """A thread's live poll: 204 while the version it shows is current (one Redis read,
    no SQL: nothing before it may touch current_user), the fresh list when it changed.
    load() gives (the page's template, the thread's view, its context)."""
    if not wants_fragment():
        return redirect(page_url, 303)
    if live.unchanged(topic, request.args.get("v", "")):
        return Response(status=204)
    page_template, view, context = load()
    live.publish_if_behind(topic, view.version)
    return render(
        page_template,
        "discussions/_comment_list.html",
        comments=view,
        csrf=generate_csrf(),
        **context,
    )


def answer_follow(discussion, render_thread_again):
    """Follow discussion by email, or stop, as the form says; the thread again (htmx) or
    back to it."""
    following = request.form.get("following") == "1"
    if EmptyForm().validate_on_submit():
        set_following(current_user, discussion, following)
        flash(
            _("You will get new comments by email.")
            if following
            else _("You will no longer get these comments by email."),
            "success",
        )
    if not wants_fragment():
        return redirect(thread_url(discussion), 303)
    return render_thread_again()
