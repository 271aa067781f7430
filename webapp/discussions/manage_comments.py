"""The organisers' actions on one comment (an event's organisers and co-hosts; a group
discussion's organisers): hide it from everyone else or show it again, pin it on top of
its thread or unpin it. The nested blueprint's loader has loaded and authorised the
comment (g.comment) before any of these runs."""

from flask import flash, g, redirect
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions import manage
from webapp.discussions.moderation import hide_comment, pin_comment, show_comment
from webapp.discussions.pages import render_thread, thread_url
from webapp.web.forms import EmptyForm
from webapp.web.htmx import wants_fragment
from webapp.web.translating import gettext as _


def _act(action, said):
    comment = g.comment
    status = 200
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, comment)
        except RuleError as error:
            refuse(error)
            status = 422
        else:
            flash(said, "success")
    if not wants_fragment():
        return redirect(thread_url(comment.discussion, comment), 303)
    return render_thread(comment.discussion, status=status)


@manage.post("/hide")
def hide():
    """Hide the comment from everyone but those who keep order; logged."""
    return _act(hide_comment, _("The comment is hidden."))


@manage.post("/show")
def show():
    """Show a hidden comment again; logged."""
    return _act(show_comment, _("The comment shows again."))


@manage.post("/pin")
def pin():
    """Pin a comment on top of its thread."""
    return _act(lambda user, comment: pin_comment(user, comment, True), _("The comment is pinned."))


@manage.post("/unpin")
def unpin():
    """Unpin a comment."""
    return _act(
        lambda user, comment: pin_comment(user, comment, False), _("The comment is unpinned.")
    )
