"""The group's organisers' actions on one of its discussions: pin it on top of the list,
close it to new comments, hide it from the members. The nested blueprint's loader has
loaded and authorised the discussion (g.discussion) before any of these runs."""

from flask import flash, g, redirect, request
from flask_login import current_user

from webapp.discussions import manage_discussion
from webapp.discussions.event_comments import said_of_lock
from webapp.discussions.moderation import hide_discussion, lock_discussion, pin_discussion
from webapp.discussions.pages import render_discussion, thread_url
from webapp.web.forms import EmptyForm
from webapp.web.htmx import wants_fragment
from webapp.web.translating import gettext as _


def _act(action, said):
    discussion = g.discussion
    if EmptyForm().validate_on_submit():
        action(current_user, discussion)
        flash(said, "success")
    if not wants_fragment():
        return redirect(thread_url(discussion), 303)
    return render_discussion(discussion)


def _on(field="on"):
    return request.form.get(field) == "1"


@manage_discussion.post("/lock")
def lock():
    """Close the discussion to new comments (its organisers still write), or open it."""
    locked = _on("locked")
    return _act(lambda user, d: lock_discussion(user, d, locked), said_of_lock(locked))


@manage_discussion.post("/pin")
def pin():
    """Pin the discussion on top of its group's list, or unpin it."""
    pinned = _on()
    said = _("The discussion is pinned.") if pinned else _("The discussion is unpinned.")
    return _act(lambda user, d: pin_discussion(user, d, pinned), said)


@manage_discussion.post("/hide")
def hide():
    """Hide the discussion from the group's members, or show it again; logged."""
    hidden = _on()
    said = _("The discussion is hidden.") if hidden else _("The discussion shows again.")
    return _act(lambda user, d: hide_discussion(user, d, hidden), said)
