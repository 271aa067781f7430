"""The door page: find people going as one types, check them in or undo it, and the
counts, polled so that several phones at one door agree within seconds. Every form works
without JavaScript too (a search is a GET, a tap a POST that comes back to the page)."""

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from webapp import live
from webapp.accounts.models import User
from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.checkin import manage
from webapp.events.checkin.queries import door_counts, door_list
from webapp.events.checkin.services import check_in, door_topic, undo_check_in
from webapp.extensions import db
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render, wants_fragment
from webapp.web.translating import gettext as _

POLL_EVERY = "3s"
SEARCH_MAX = 100


def search_text():
    return (request.values.get("q") or "")[:SEARCH_MAX]


def counts_context(event):
    # The version before the data it shows (webapp/live): a check-in committed in between
    # is then shown by the next poll, not missed.
    version = live.version_to_show(door_topic(event.id))
    checked_in, going = door_counts(event)
    return {
        "event": event,
        "checked_in": checked_in,
        "going": going,
        "counts_version": version,
        "poll_every": POLL_EVERY,
    }


def door_context(event, search, tapped=False):
    return {
        **counts_context(event),
        "people": door_list(event, search),
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
