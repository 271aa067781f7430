"""Comments under an event: their page, the live part that brings others' comments in
within seconds, writing a comment, following, and closing the thread (its organisers
and co-hosts). Each write answers htmx with the comments section and a plain form with a
redirect to where the comment is."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import live
from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions import bp
from webapp.discussions.access import (
    can_moderate_event_comments,
    can_read_event_comments,
    may_write_under,
)
from webapp.discussions.forms import CommentForm
from webapp.discussions.moderation import lock_discussion
from webapp.discussions.pages import (
    answer_follow,
    answer_live_poll,
    render_event_thread,
    thread_url,
)
from webapp.discussions.services import (
    comment_on_event,
    discussion_of_event,
    event_comments_topic,
)
from webapp.discussions.threads import comments_view
from webapp.events.access import find_event, get_event
from webapp.extensions import login_manager
from webapp.web.forms import EmptyForm
from webapp.web.htmx import wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


def event_thread_url(event):
    return url_for("discussions.event_comments", event_id=event.id) + "#comments"


@bp.route("/events/<int:event_id>/comments", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_COMMENTS", per_user=True)
def event_comments(event_id):
    """GET: the event's comments, a page at a time. POST: a new comment (its group's
    active members)."""
    if request.method == "GET":
        return render_event_thread(find_event(event_id, with_thread=True))
    if not current_user.is_authenticated:
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
                return redirect(thread_url(comment.discussion, comment), 303)
            return render_event_thread(event, number=1)
    return render_event_thread(event, status=422, form=form)


@bp.get("/events/<int:event_id>/comments/live")
@live.polled_by(lambda event_id: event_comments_topic(event_id))
def live_event_comments(event_id):
    """The comments' poll: 204 while nothing changed, the fresh list when it did."""

    def load():
        event = find_event(event_id, with_thread=True)
        context = {"event": event, "group": event.group}
        return "discussions/event_comments.html", comments_view(event), context

    page_url = url_for(".event_comments", event_id=event_id)
    return answer_live_poll(event_comments_topic(event_id), page_url, load)


@bp.post("/events/<int:event_id>/comments/follow")
@login_required
def follow(event_id):
    """Follow the event's comments by email, or stop."""
    event = get_event(event_id, need=can_read_event_comments)
    return answer_follow(discussion_of_event(event), lambda: render_event_thread(event))


@bp.post("/events/<int:event_id>/comments/lock")
@login_required
def lock(event_id):
    """Close the event's comments to new ones, or open them again (organisers, co-hosts)."""
    event = get_event(event_id, need=can_moderate_event_comments)
    locked = request.form.get("locked") == "1"
    if EmptyForm().validate_on_submit():
        lock_discussion(current_user, discussion_of_event(event), locked)
        flash(said_of_lock(locked), "success")
    if not wants_fragment():
        return redirect(event_thread_url(event), 303)
    return render_event_thread(event)


def said_of_lock(locked):
    return (
        _("Comments are closed: only organisers write now.")
        if locked
        else _("Comments are open again.")
    )
