"""The door page: find people going as one types, check them in or undo it, and the
counts, polled so that several phones at one door agree within seconds; and the page a
door pass's QR code opens. Every form works without JavaScript too (a search is a GET, a
tap a POST that comes back to the page)."""

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_login import current_user

from webapp import live
from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.checkin import manage
from webapp.events.checkin.forms import WalkInForm
from webapp.events.checkin.passes import person_of_pass
from webapp.events.checkin.queries import door_counts, door_list, scanned_state, walk_ins_of
from webapp.events.checkin.services import (
    add_walk_in,
    check_in,
    door_topic,
    remove_walk_in,
    undo_check_in,
)
from webapp.extensions import db
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.translating import gettext as _

POLL_EVERY = "3s"
SEARCH_MAX = 100


def search_text():
    return (request.values.get("q") or "")[:SEARCH_MAX]


def counts_context(event):
    # The version before the data it shows (webapp/live): a check-in committed in between
    # is then shown by the next poll, not missed.
    version = live.version_to_show(door_topic(event.id))
    counts = door_counts(event)
    return {
        "event": event,
        "checked_in": counts.checked_in,
        "going": counts.going,
        "walk_ins_count": counts.walk_ins,
        "counts_version": version,
        "poll_every": POLL_EVERY,
    }


def door_context(event, search, tapped=False, walk_in_form=None, of_walk_ins=False):
    """What the door shows; of_walk_ins: for the walk-ins' fragment (the people going's
    fragment, a search's or a tap's, shows none, so they are not read for it)."""
    shows_walk_ins = of_walk_ins or not wants_fragment()
    return {
        **counts_context(event),
        "people": door_list(event, search),
        "walk_ins": walk_ins_of(event) if shows_walk_ins else [],
        "walk_in_form": walk_in_form or WalkInForm(formdata=None),
        "search": search,
        # A search says how many it found (to a screen reader); a tap's flash says the rest.
        "searched": not tapped,
        "tapped": tapped,
        "form": EmptyForm(),
    }


def door_url(event, search=""):
    return url_for("events.checkin.door", event_id=event.id, q=search or None)


@manage.get("")
def door():
    """The door: the counts, a search box and the people going; htmx's search gets the list."""
    search = search_text()
    return render(
        "events/checkin/door.html", "events/checkin/_people.html", **door_context(g.event, search)
    )


@manage.get("/live")
@live.polled_by(lambda event_id: door_topic(event_id))
def live_counts():
    """The counts' poll: 204 while the version it shows is current, the fresh counts when
    someone was checked in or out."""
    if live.unchanged(door_topic(g.event.id), request.args.get("v", "")):
        return Response(status=204)
    if not wants_fragment():
        return redirect(door_url(g.event), 303)
    return render(
        "events/checkin/door.html", "events/checkin/_counts.html", **counts_context(g.event)
    )


def _tapped(change, say, user_id):
    event, search = g.event, search_text()
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            changed = change(current_user, event, user_id)
        except RuleError as error:
            refuse(error)
        else:
            person = db.session.get(User, user_id)
            flash(say(person.name, changed), "success" if changed else "info")
    if not wants_fragment():
        return redirect(door_url(event, search), 303)
    return render(
        "events/checkin/door.html",
        "events/checkin/_people.html",
        status=422 if getattr(g, "refused", False) else 200,
        **door_context(event, search, tapped=True),
    )


def _said_of_check_in(name, changed):
    if changed:
        return _("%(name)s is checked in.", name=name)
    # Another phone, or a second tap, was first.
    return _("%(name)s was checked in already.", name=name)


def _said_of_undo(name, changed):
    if changed:
        return _("%(name)s is no longer checked in.", name=name)
    return _("%(name)s was not checked in.", name=name)


@manage.post("/<int:user_id>/check-in")
def check_in_person(user_id):
    """Check one person going in (a second tap, or another phone's, changes nothing)."""
    return _tapped(check_in, _said_of_check_in, user_id)


@manage.post("/<int:user_id>/undo")
def undo(user_id):
    """Take one person's check-in back."""
    return _tapped(undo_check_in, _said_of_undo, user_id)


def _person_scanned(token):
    """The person a pass scanned at this event's door names (404 for a tampered pass, or
    another event's, or someone gone), and whether they go and are checked in."""
    user_id = person_of_pass(token, g.event.id)
    person = db.session.get(User, user_id) if user_id is not None else None
    if person is None:
        abort(404)
    return person, scanned_state(g.event, person.id)


@manage.route("/scan/<token>", methods=["GET", "POST"])
def scan(token):
    """A pass's link, opened by an organiser's phone camera: who it is and one button to
    check them in (GET changes nothing: a link preview or a second scan is harmless)."""
    event = g.event
    person, state = _person_scanned(token)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            changed = check_in(current_user, event, person.id)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_said_of_check_in(person.name, changed), "success" if changed else "info")
            return redirect_to(door_url(event))
    return render(
        "events/checkin/scan.html",
        "events/checkin/_scan.html",
        status=422 if form.is_submitted() else 200,
        event=event,
        person=person,
        state=state,
        form=form,
    )


@manage.post("/walk-ins", endpoint="add_walk_in")
def add_walk_in_view():
    """Add someone who came without an answer; 422 with the form's messages beside its
    fields when it is not right."""
    event, form = g.event, WalkInForm()
    if form.validate_on_submit():
        try:
            walk_in = add_walk_in(
                current_user, event, form.name.data, form.email.data, form.takes_place.data
            )
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("%(name)s is added as a walk-in.", name=walk_in.name), "success")
            if not wants_fragment():
                return redirect(door_url(event), 303)
            form = None
    refused = form is not None and form.is_submitted()
    return render(
        "events/checkin/door.html",
        "events/checkin/_walk_ins.html",
        status=422 if refused else 200,
        **door_context(
            event, "", tapped=True, walk_in_form=form if refused else None, of_walk_ins=True
        ),
    )


@manage.post("/walk-ins/<int:walk_in_id>/remove", endpoint="remove_walk_in")
def remove_walk_in_view(walk_in_id):
    """Take back a walk-in added by mistake (the place they took goes to the waitlist)."""
    event, form = g.event, EmptyForm()
    if form.validate_on_submit():
        removed = remove_walk_in(current_user, event, walk_in_id)
        if removed is None:
            flash(_("That walk-in was removed already."), "info")
        else:
            flash(_("%(name)s is no longer a walk-in.", name=removed.name), "success")
    if not wants_fragment():
        return redirect(door_url(event), 303)
    return render(
        "events/checkin/door.html",
        "events/checkin/_walk_ins.html",
        **door_context(event, "", tapped=True, of_walk_ins=True),
    )
