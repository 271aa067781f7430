"""Organisers' actions on a poll: add and remove options in place, close or delete it,
see who voted what, and make a date poll's slot its event's date (or a new event's, for a
poll of the group alone). The manage blueprint has loaded g.poll and checked the user may
manage it.

With htmx the options editor swaps itself; without JavaScript each form posts and
redirects to the poll page with a message.
"""

from flask import abort, flash, g, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import event_url
from webapp.polls import manage
from webapp.polls.access import poll_url
from webapp.polls.forms import NewEventForm, OptionForm
from webapp.polls.options import add_option, remove_option
from webapp.polls.queries import votes_by_voter
from webapp.polls.results import poll_context
from webapp.polls.scheduling import schedule_event_at, schedule_new_event, slot_of
from webapp.polls.services import close_poll, delete_poll
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


def options_editor(option_form=None, status=200, fragment="polls/_options_editor.html"):
    """The options editor alone for htmx, the poll page otherwise (after a refusal: 422)."""
    poll = g.poll
    return render(
        "polls/detail.html",
        fragment,
        status=status,
        poll=poll,
        **poll_context(poll, option_form=option_form),
    )


def after_option_change():
    """The editor, with the ballot and results out of band, for htmx; else the poll page."""
    if not wants_fragment():
        return redirect_to(poll_url(g.poll))
    return options_editor(fragment="polls/_options_changed.html")


@manage.post("/options")
def add():
    """One more option at the end (or, for a date poll, a slot in time order)."""
    form = OptionForm()
    if form.validate_on_submit():
        slot = None
        if g.poll.is_date_poll and form.starts_at.data and form.ends_at.data:
            slot = (form.starts_at.data, form.ends_at.data)
        try:
            option = add_option(current_user, g.poll, label=form.label.data, slot=slot)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(label)s” is an option now.", label=option.label), "success")
            return after_option_change()
    return options_editor(form, status=422)


@manage.post("/options/<int:option_id>/remove")
def remove(option_id):
    """Take an option away, while nobody has chosen it."""
    if EmptyForm().validate_on_submit():
        try:
            option = remove_option(current_user, g.poll, option_id)
        except RuleError as error:
            refuse(error)
        else:
            flash(_("“%(label)s” is no longer an option.", label=option.label), "info")
    return after_option_change()


@manage.route("/close", methods=["GET", "POST"])
def close():
    """GET asks (a page, or a dialog with JavaScript); POST closes: no more votes."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            close_poll(current_user, g.poll)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _("The poll is closed: its results are final, and its voters are emailed them."),
                "info",
            )
            return redirect_to(poll_url(g.poll))
    return render(
        "polls/close.html",
        "polls/_close.html",
        status=422 if form.is_submitted() else 200,
        poll=g.poll,
        form=form,
    )


@manage.route("/delete", methods=["GET", "POST"])
def delete():
    """GET asks (a page, or a dialog with JavaScript); POST deletes the poll and its votes,
    then goes to where it was listed: its event's page, or its group's."""
    poll = g.poll
    form = EmptyForm()
    if form.validate_on_submit():
        question = poll.question
        if poll.event is not None:
            listed_at = event_url(poll.event)
        else:
            listed_at = url_for("groups.detail", slug=poll.group.slug)
        delete_poll(current_user, poll)
        flash(_("The poll “%(question)s” is deleted, with its votes.", question=question), "info")
        return redirect_to(listed_at)
    return render_form("polls/delete.html", "polls/_delete.html", form, poll=poll)


@manage.get("/votes")
def votes():
    """Who voted what: a row per voter, a column per option."""
    return render(
        "polls/votes.html",
        "polls/_votes.html",
        poll=g.poll,
        voters=votes_by_voter(g.poll),
        **poll_context(g.poll),
    )


def slot_or_404(option_id, on_event):
    """The poll's slot option_id, for a poll on an event (on_event) or of its group alone."""
    slot = slot_of(g.poll, option_id)
    if slot is None or (g.poll.event is not None) != on_event:
        abort(404)
    return slot


@manage.route("/slots/<int:option_id>/schedule", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def schedule(option_id):
    """GET asks (a page, or a dialog with JavaScript); POST makes the slot the event's date."""
    slot = slot_or_404(option_id, on_event=True)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            schedule_event_at(current_user, g.poll, option_id)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _(
                    "%(title)s is on %(slot)s now; the poll is closed.",
                    title=g.poll.event.title,
                    slot=slot.label,
                ),
                "success",
            )
            return redirect_to(event_url(g.poll.event))
    return render(
        "polls/schedule.html",
        "polls/_schedule.html",
        status=422 if form.is_submitted() else 200,
        poll=g.poll,
        slot=slot,
        form=form,
    )


@manage.route("/slots/<int:option_id>/new-event", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def new_event(option_id):
    """GET asks for a title (a page, or a dialog with JavaScript); POST makes a published
    event of the group at the slot, and closes the poll."""
    slot = slot_or_404(option_id, on_event=False)
    form = NewEventForm()
    if form.validate_on_submit():
        try:
            event = schedule_new_event(current_user, g.poll, option_id, form.title.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _(
                    "“%(title)s” is on %(slot)s and published; the poll is closed. "
                    "Add its place and details with Edit.",
                    title=event.title,
                    slot=slot.label,
                ),
                "success",
            )
            return redirect_to(event_url(event))
    return render_form(
        "polls/new_event.html", "polls/_new_event.html", form, poll=g.poll, slot=slot
    )
