"""Comments under an event: their page, the live part that brings others' comments in
within seconds, writing a comment or a reply, the author's edit and removal, following,
and closing the thread (its organisers and co-hosts). Each write answers htmx with the
comments section and a plain form with a redirect to where the comment is."""

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import live
from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions import bp
from webapp.discussions.access import (
    can_edit_comment,
    can_moderate_event_comments,
    can_read_event_comments,
    can_remove_comment,
    can_reply_to,
    get_comment,
    may_write_under,
)
from webapp.discussions.forms import CommentForm, ReplyForm
from webapp.discussions.services import (
    comment_on_event,
    discussion_of_event,
    edit_comment,
    event_comments_topic,
    lock_discussion,
    remove_comment,
    reply_to,
    set_following,
)
from webapp.discussions.threads import comments_view
from webapp.events.access import find_event, get_event
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


def comments_url(event, comment=None):
    anchor = f"#comment-{comment.id}" if comment is not None else "#comments"
    return url_for("discussions.event_comments", event_id=event.id) + anchor


def _section(event, status=200, form=None, number=None):
    """The comments page, or its section alone for htmx."""
    return render(
        "discussions/event_comments.html",
        "discussions/_event_comments.html",
        status=status,
        event=event,
        group=event.group,
        comments=comments_view(event, form=form, number=number),
    )


@bp.route("/events/<int:event_id>/comments", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_COMMENTS", per_user=True)
def event_comments(event_id):
    """GET: the event's comments, a page at a time. POST: a new comment (its group's
    active members)."""
    if request.method == "GET":
        return _section(find_event(event_id))
    if not current_user.is_authenticated:
        from webapp.extensions import login_manager

        return login_manager.unauthorized()
    event = get_event(event_id, need=may_write_under)
    form = CommentForm(prefix="comment")
    if form.validate_on_submit():
        try:
            comment = comment_on_event(current_user, event, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your comment is posted."), "success")
            if not wants_fragment():
                return redirect(comments_url(event, comment), 303)
            return _section(event, number=1)
    return _section(event, status=422, form=form)


@bp.get("/events/<int:event_id>/comments/live")
@live.polled_by(lambda event_id: event_comments_topic(event_id))
def live_event_comments(event_id):
    """The comments' poll: 204 while the version it shows is current (one Redis read, no
    SQL), the fresh list when it changed."""
    if not wants_fragment():
        return redirect(url_for(".event_comments", event_id=event_id), 303)
    topic = event_comments_topic(event_id)
    if live.unchanged(topic, request.args.get("v", "")):
        return Response(status=204)
    event = find_event(event_id)
    view = comments_view(event)
    live.publish_if_behind(topic, view.version)
    return render(
        "discussions/event_comments.html",
        "discussions/_comment_list.html",
        event=event,
        group=event.group,
        comments=view,
    )


def _comment_page(template, fragment, comment, form, status=200):
    event = comment.discussion.event
    return render(
        template,
        fragment,
        status=status,
        comment=comment,
        event=event,
        group=event.group,
        form=form,
    )


@bp.route("/comments/<int:comment_id>/reply", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_COMMENTS", per_user=True)
@login_required
def reply(comment_id):
    """GET: the comment and a form to answer it. POST: the reply, under it."""
    comment = get_comment(comment_id, need=can_reply_to)
    form = ReplyForm(prefix="reply")
    if form.validate_on_submit():
        try:
            answer = reply_to(current_user, comment, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your reply is posted."), "success")
            return redirect_to(comments_url(comment.discussion.event, answer))
    status = 422 if form.is_submitted() else 200
    return _comment_page(
        "discussions/reply.html", "discussions/_reply_form.html", comment, form, status
    )


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id):
    """The author's edit of their comment, within the edit window."""
    comment = get_comment(comment_id, need=can_edit_comment)
    form = CommentForm(
        prefix="edit", data=None if request.method == "POST" else {"body": comment.body}
    )
    if form.validate_on_submit():
        try:
            edit_comment(current_user, comment, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your comment is changed."), "success")
            return redirect_to(comments_url(comment.discussion.event, comment))
    status = 422 if form.is_submitted() else 200
    return _comment_page(
        "discussions/edit.html", "discussions/_edit_form.html", comment, form, status
    )


@bp.post("/comments/<int:comment_id>/remove")
@login_required
def remove(comment_id):
    """The author takes their comment back; its replies stay."""
    comment = get_comment(comment_id, need=can_remove_comment)
    event = comment.discussion.event
    if EmptyForm().validate_on_submit():
        remove_comment(current_user, comment)
        flash(_("Your comment is removed."), "success")
    if not wants_fragment():
        return redirect(comments_url(event), 303)
    return _section(event)


@bp.post("/events/<int:event_id>/comments/follow")
@login_required
def follow(event_id):
    """Follow the event's comments by email, or stop."""
    event = get_event(event_id, need=can_read_event_comments)
    following = request.form.get("following") == "1"
    if EmptyForm().validate_on_submit():
        set_following(current_user, discussion_of_event(event), following)
        flash(
            _("You will get new comments by email.")
            if following
            else _("You will no longer get these comments by email."),
            "success",
        )
    if not wants_fragment():
        return redirect(comments_url(event), 303)
    return _section(event)


@bp.post("/events/<int:event_id>/comments/lock")
@login_required
def lock(event_id):
    """Close the event's comments to new ones, or open them again (organisers, co-hosts)."""
    event = get_event(event_id, need=can_moderate_event_comments)
    locked = request.form.get("locked") == "1"
    if EmptyForm().validate_on_submit():
        lock_discussion(current_user, discussion_of_event(event), locked)
        flash(
            _("Comments are closed: only organisers write now.")
            if locked
            else _("Comments are open again."),
            "success",
        )
    if not wants_fragment():
        return redirect(comments_url(event), 303)
    return _section(event)
