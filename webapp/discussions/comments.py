"""One comment, wherever its thread is (under an event, or a group's discussion): the
page to answer it, the author's edit within the edit window, and their removal. Each
answers a plain form with a redirect to the comment, and htmx as its form or thread."""

from flask import flash, redirect, request
from flask_login import current_user, login_required

from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions import bp
from webapp.discussions.access import (
    can_edit_comment,
    can_remove_comment,
    can_reply_to,
    get_comment,
)
from webapp.discussions.forms import CommentForm, ReplyForm
from webapp.discussions.pages import render_thread, thread_url
from webapp.discussions.services import edit_comment, remove_comment, reply_to
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


def _comment_page(template, fragment, comment, form, status=200):
    discussion = comment.discussion
    return render(
        template,
        fragment,
        status=status,
        comment=comment,
        discussion=discussion,
        event=discussion.event,
        group=discussion.group,
        thread_url=thread_url(discussion, comment),
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
            return redirect_to(thread_url(comment.discussion, answer))
    status = 422 if form.is_submitted() else 200
    return _comment_page(
        "discussions/reply.html", "discussions/_reply_form.html", comment, form, status
    )


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id):
    """The author's edit of their comment, within the edit window."""
    comment = get_comment(comment_id, need=can_edit_comment)
    data = None if request.method == "POST" else {"body": comment.body}
    form = CommentForm(prefix="edit", data=data)
    if form.validate_on_submit():
        try:
            edit_comment(current_user, comment, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your comment is changed."), "success")
            return redirect_to(thread_url(comment.discussion, comment))
    status = 422 if form.is_submitted() else 200
    return _comment_page(
        "discussions/edit.html", "discussions/_edit_form.html", comment, form, status
    )


@bp.post("/comments/<int:comment_id>/remove")
@login_required
def remove(comment_id):
    """The author takes their comment back; its replies stay."""
    comment = get_comment(comment_id, need=can_remove_comment)
    discussion = comment.discussion
    if EmptyForm().validate_on_submit():
        remove_comment(current_user, comment)
        flash(_("Your comment is removed."), "success")
    if not wants_fragment():
        return redirect(thread_url(discussion), 303)
    return render_thread(discussion)
