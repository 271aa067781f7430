"""A group's discussions: their list, starting one (a title and a first comment), a
discussion's page with its thread, writing in it, its live part, and following it. The
organisers' pin, lock and hide of a whole discussion are manage_discussions.py."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import live
from webapp.database.unit_of_work import RuleError, refuse
from webapp.discussions import bp
from webapp.discussions.access import (
    can_read_group_talk,
    can_start_discussion,
    find_discussion,
    get_discussion,
)
from webapp.discussions.forms import CommentForm, DiscussionForm
from webapp.discussions.pages import (
    answer_follow,
    answer_live_poll,
    render_discussion,
    thread_url,
)
from webapp.discussions.queries import DISCUSSIONS_PER_PAGE, group_discussions
from webapp.discussions.services import (
    comment_in,
    comments_topic_of_discussion,
    start_discussion,
)
from webapp.discussions.threads import discussion_view
from webapp.groups.access import can_manage, get_group
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


@bp.get("/groups/<slug>/discussions")
def group_list(slug):
    """The group's discussions, pinned first, then the latest talked in (its members)."""
    group = get_group(slug, need=can_read_group_talk)
    moderator = can_manage(current_user, group)
    page = paginate(group_discussions(group, with_hidden=moderator), DISCUSSIONS_PER_PAGE)
    return render(
        "discussions/group_discussions.html",
        "discussions/_discussion_list.html",
        group=group,
        page=page,
        can_start=can_start_discussion(current_user, group),
    )


@bp.route("/groups/<slug>/discussions/new", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_COMMENTS", per_user=True)
@login_required
def new(slug):
    """GET: the form to start a discussion. POST: the discussion, with its first comment."""
    group = get_group(slug, need=can_start_discussion)
    form = DiscussionForm()
    if form.validate_on_submit():
        try:
            discussion = start_discussion(current_user, group, form.title.data, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your discussion is started."), "success")
            return redirect_to(url_for(".discussion", discussion_id=discussion.id))
    return render(
        "discussions/new_discussion.html",
        "discussions/_discussion_form.html",
        status=422 if form.is_submitted() else 200,
        group=group,
        form=form,
    )


@bp.route("/discussions/<int:discussion_id>", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_COMMENTS", per_user=True)
def discussion(discussion_id):
    """GET: the discussion, a page of its thread at a time. POST: a comment in it."""
    if request.method == "GET":
        return render_discussion(find_discussion(discussion_id))
    if not current_user.is_authenticated:
        from webapp.extensions import login_manager

        return login_manager.unauthorized()
    found = get_discussion(discussion_id, need=_may_write)
    form = CommentForm(prefix="comment")
    if form.validate_on_submit():
        try:
            comment = comment_in(current_user, found, form.body.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("Your comment is posted."), "success")
            if not wants_fragment():
                return redirect(thread_url(found, comment), 303)
            return render_discussion(found, number=1)
    return render_discussion(found, status=422, form=form)


def _may_write(user, discussion):
    """Write in it at all: an active member (a locked thread is the rule's to refuse)."""
    return can_start_discussion(user, discussion.group) and not discussion.is_hidden


@bp.get("/discussions/<int:discussion_id>/live")
@live.polled_by(lambda discussion_id: comments_topic_of_discussion(discussion_id))
def live_discussion(discussion_id):
    """The thread's poll: 204 while nothing changed, the fresh list when it did."""

    def load():
        found = find_discussion(discussion_id)
        context = {"discussion": found, "group": found.group}
        return "discussions/discussion.html", discussion_view(found), context

    page_url = url_for(".discussion", discussion_id=discussion_id)
    return answer_live_poll(comments_topic_of_discussion(discussion_id), page_url, load)


@bp.post("/discussions/<int:discussion_id>/follow")
@login_required
def follow_discussion(discussion_id):
    """Follow the discussion by email, or stop."""
    found = find_discussion(discussion_id)
    return answer_follow(found, lambda: render_discussion(found))
