"""Organisers edit an event's agenda in place: add, edit and delete sessions, add and
remove speakers. With htmx a row swaps to its form and back, or the agenda comes back
whole; without JavaScript each form posts, redirects to the event page and flashes.
"""

from flask import abort, flash, g, redirect, request
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import event_url
from webapp.events.agenda import manage
from webapp.events.agenda.forms import session_form, speaker_form
from webapp.events.agenda.queries import (
    agenda_context,
    new_session_form,
    session_in,
    session_values,
    speaker_in,
    time_note,
)
from webapp.events.agenda.services import (
    add_session,
    add_speaker,
    delete_session,
    remove_speaker,
    update_session,
)
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render, wants_fragment
from webapp.web.translating import gettext as _


def managed_session(session_id):
    """A session of the loaded event, with its speakers, or 404."""
    return session_in(g.event, session_id) or abort(404)


def page_context(**context):
    return {
        "event": g.event,
        "back_url": event_url(g.event),
        "time_note": time_note(g.event),
        **context,
    }


def back_to_event(anchor):
    """Without JavaScript, after a change: the event page, at what changed."""
    return redirect(f"{event_url(g.event)}#{anchor}", 303)


def agenda_changed(anchor, **context):
    """The whole agenda for htmx (order and days may have changed); else back to the page."""
    if not wants_fragment():
        return back_to_event(anchor)
    response = render(
        "events/agenda/_agenda.html",
        "events/agenda/_agenda.html",
        **page_context(**agenda_context(g.event, **context)),
    )
    response.headers.update({"HX-Retarget": "#agenda", "HX-Reswap": "outerHTML"})
    return response


def session_row(session_id, status=200, speaker_forms=None):
    """One session's row, from the same agenda (one query) the event page shows."""
    context = agenda_context(g.event, speaker_forms=speaker_forms)
    row = context["agenda"].rows_by_id.get(session_id) or abort(404)
    return render(
        "events/agenda/_agenda.html",
        "events/agenda/_session.html",
        status=status,
        item=row.session,
        **page_context(**context),
    )


@manage.get("/sessions/new")
def new():
    """The form for a new session: what opening "Add a session" fetches, or its own page
    without JavaScript."""
    return render(
        "events/agenda/session_form.html",
        "events/agenda/_new_session.html",
        **page_context(form=new_session_form(g.event), item=None),
    )


@manage.post("/sessions")
def add():
    """Add a session; the form stays open for the next one."""
    form = session_form(posted=True)
    if form.validate_on_submit():
        try:
            item = add_session(current_user, g.event, form.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is on the agenda.", title=item.title), "success")
            return agenda_changed(f"session-{item.id}", added=item)
    return render(
        "events/agenda/session_form.html",
        "events/agenda/_new_session.html",
        status=422,
        **page_context(form=form, item=None),
    )


@manage.get("/sessions/<int:session_id>")
def show(session_id):
    """A session's row (what Cancel brings back); as a page, the event at that session."""
    managed_session(session_id)
    if not wants_fragment():
        return back_to_event(f"session-{session_id}")
    return session_row(session_id)


@manage.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit(session_id):
    """The row as a form (a page without JavaScript); saved, the agenda comes back."""
    item = managed_session(session_id)
    form = session_form(item, session_values(item), posted=request.method == "POST")
    if form.validate_on_submit():
        try:
            update_session(current_user, item, form.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is saved.", title=item.title), "success")
            return agenda_changed(f"session-{item.id}")
    return render(
        "events/agenda/session_form.html",
        "events/agenda/_session_editor.html",
        status=422 if form.is_submitted() else 200,
        **page_context(form=form, item=item),
    )


@manage.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
def delete(session_id):
    """GET asks first (a dialog with JavaScript, a page without); POST deletes."""
    item = managed_session(session_id)
    form = EmptyForm()
    if form.validate_on_submit():
        title = item.title
        try:
            delete_session(current_user, item)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is off the agenda.", title=title), "success")
            return agenda_changed("agenda")
    response = render(
        "events/agenda/delete_session.html",
        "events/agenda/_delete_session.html",
        status=422 if form.is_submitted() else 200,
        **page_context(form=form, item=item),
    )
    if form.is_submitted() and wants_fragment():
        response.headers.update({"HX-Retarget": "#confirm-dialog", "HX-Reswap": "innerHTML"})
    return response


@manage.post("/sessions/<int:session_id>/speakers")
def add_speaker_to(session_id):
    """Add a speaker (name and short bio) to a session; its row comes back."""
    item = managed_session(session_id)
    form = speaker_form(item, posted=True)
    if form.validate_on_submit():
        try:
            speaker = add_speaker(current_user, item, form.data)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _(
                    "%(name)s is a speaker of “%(title)s”.",
                    name=speaker.name,
                    title=item.title,
                ),
                "success",
            )
            if not wants_fragment():
                return back_to_event(f"session-{session_id}")
            return session_row(session_id)
    if wants_fragment():
        return session_row(session_id, 422, speaker_forms={session_id: form})
    return render(
        "events/agenda/speaker_form.html",
        "events/agenda/speaker_form.html",
        status=422,
        **page_context(form=form, item=item),
    )


@manage.post("/sessions/<int:session_id>/speakers/<int:speaker_id>/remove")
def remove_speaker_from(session_id, speaker_id):
    """Take a speaker off a session; its row comes back."""
    item = managed_session(session_id)
    speaker = speaker_in(item, speaker_id) or abort(404)
    if EmptyForm().validate_on_submit():
        name = speaker.name
        try:
            remove_speaker(current_user, speaker)
        except RuleError as error:
            refuse(error)
        else:
            flash(
                _("%(name)s is no longer a speaker of “%(title)s”.", name=name, title=item.title),
                "success",
            )
    if not wants_fragment():
        return back_to_event(f"session-{session_id}")
    return session_row(session_id)
