"""A poll's page, voting, its results and their live part, and starting a poll in a group
or on an event.

The results' live version is the poll's own (Poll.results_version), read with it: pages
ask Redis nothing. The live part has no loader before it: it must answer "nothing
changed" without a query.
"""

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import live
from webapp.database.unit_of_work import RuleError, commit_before_rendering, refuse
from webapp.events.access import can_manage_event, get_event
from webapp.events.times import listed_html, listed_span, zone_named
from webapp.extensions import login_manager
from webapp.groups.access import can_manage, get_group
from webapp.live import STOP_POLLING
from webapp.polls import bp
from webapp.polls.access import can_see_poll, can_vote, find_poll, get_poll, load_poll, poll_url
from webapp.polls.changes import results_topic, results_until
from webapp.polls.forms import PollForm, VoteForm, editing_rows
from webapp.polls.models import PollKind
from webapp.polls.results import poll_context
from webapp.polls.services import create_poll
from webapp.polls.voting import cast_vote
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.templating import viewer_zone
from webapp.web.translating import gettext as _


@bp.app_template_filter("slot_time")
def slot_time(option, poll):
    """A date poll's slot on the viewer's clocks, and on the poll's when they differ; any
    other option as its label."""
    if not option.is_slot:
        return option.label
    zone = zone_named(poll.time_zone)
    shown = listed_span(option.starts_at, option.ends_at, zone, viewer_zone(), "the poll's")
    return listed_html(option.starts_at, shown)


@bp.get("/polls/<int:poll_id>")
def detail(poll_id):
    """The poll: the question, the vote, the results as the poll allows."""
    poll = find_poll(poll_id, with_options=True)
    return render("polls/detail.html", "polls/_poll.html", poll=poll, **poll_context(poll))


def new_poll(group, event=None):
    """The new-poll form of group (or of event); its rows of options change in place."""
    form = PollForm()
    if not form.is_submitted():
        asked = request.args.get("kind")
        form.kind.data = PollKind.DATE if asked == PollKind.DATE else PollKind.PLAIN
        form.time_zone.data = event.time_zone if event else current_user.time_zone
    elif not form.edit_rows() and form.validate_on_submit():
        try:
            poll = create_poll(current_user, group, form.details(), event=event)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("The poll is open: the group's members can vote."), "success")
            return redirect_to(poll_url(poll))
    return render_form("polls/new.html", "polls/_poll_form.html", form, group=group, event=event)


@bp.route("/groups/<slug>/polls/new", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True, exempt_when=editing_rows)
@login_required
def new_in_group(slug):
    """Start a poll of the group (organisers)."""
    return new_poll(get_group(slug, need=can_manage))


@bp.route("/events/<int:event_id>/polls/new", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True, exempt_when=editing_rows)
@login_required
def new_on_event(event_id):
    """Start a poll on an event (its organisers)."""
    event = get_event(event_id, need=can_manage_event)
    return new_poll(event.group, event)


def voted_response(poll, form=None, status=200):
    """The ballot, with the results beside it (out of band) for htmx; a page otherwise."""
    return render(
        "polls/vote.html", "polls/_voted.html", status=status, poll=poll, **poll_context(poll, form)
    )


def voted_message(changed):
    return _("Your vote is saved.") if changed else _("That was your vote already.")


# One rule for both methods: two rules on one path would answer a bad id with 405, not 404.
@bp.route("/polls/<int:poll_id>/vote", methods=["GET", "POST"])
def vote(poll_id):
    """GET: the ballot (a page of its own without htmx). POST: vote, or change one's vote."""
    if request.method == "GET":
        return voted_response(find_poll(poll_id, with_options=True))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    poll = get_poll(poll_id, need=can_vote)
    form = VoteForm()
    if form.validate_on_submit():
        try:
            changed = cast_vote(current_user, poll, form.option.data or (), form.slot_answers)
        except RuleError as error:
            refuse(error, form)
        else:
            # Votes at the same moment queue for the poll's lock: it is held for the vote
            # alone, not for the page too.
            commit_before_rendering()
            flash(voted_message(changed), "success")
            if not wants_fragment():
                return redirect_to(poll_url(poll))
            return voted_response(poll)
    return voted_response(poll, form, status=422)


@bp.get("/polls/<int:poll_id>/results")
def results(poll_id):
    """The results alone: a page of its own, or the fragment for htmx."""
    poll = find_poll(poll_id, with_options=True)
    return render("polls/results.html", "polls/_results.html", poll=poll, **poll_context(poll))


@bp.get("/polls/<int:poll_id>/results/live")
@live.polled_by(results_topic)
def live_results(poll_id):
    """The results' poll: 204 while the version it shows is current (one Redis read, no
    SQL: nothing here may touch current_user, whose session is a query), the fresh results
    when they changed, and 286 with the last ones once the poll is closed (or with a word
    that it was deleted)."""
    if not wants_fragment():
        return redirect(url_for(".results", poll_id=poll_id), 303)
    topic = results_topic(poll_id)
    if live.unchanged(topic, request.args.get("v", "")):
        return Response(status=204)
    poll = load_poll(poll_id, with_options=True)
    if poll is None and live.was_live(topic):
        return render(
            "polls/results.html", "polls/_results_gone.html", status=STOP_POLLING, poll_id=poll_id
        )
    if poll is None or not can_see_poll(current_user, poll):
        abort(404)
    live.publish_if_behind(topic, poll.results_version, until=results_until(poll))
    context = poll_context(poll)
    status = STOP_POLLING if context["view"].final else 200
    return render("polls/results.html", "polls/_results.html", status=status, poll=poll, **context)
