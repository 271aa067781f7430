"""Organisers' actions on an event: edit, publish, cancel and delete.

The manage blueprint has loaded g.event and checked the user may manage it (its co-hosts
too). What stays the group's organisers' (webapp.events.access) is checked here: cancelling
and deleting, a series' later dates, publishing a series and announcing to the group.
Cancelling and deleting ask first: GET is the question (a page, or a dialog with
JavaScript), POST the answer.
"""

from flask import abort, flash, g, request, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events import manage
from webapp.events.access import can_organise_event, event_url
from webapp.events.forms import EventForm
from webapp.events.series.forms import FOLLOWING, SeriesDateForm
from webapp.events.series.services import publish_series, update_following
from webapp.events.services import (
    announce_publication,
    cancel_event,
    delete_event,
    publish_event,
    update_event,
)
from webapp.events.times import to_local
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext


def form_values(event):
    """The event as its form shows it: times on the clocks of its zone."""
    zone = event.time_zone
    return {
        "title": event.title,
        "description": event.description,
        "venue": event.venue,
        "address": event.address,
        "online_url": event.online_url,
        "time_zone": zone,
        "starts_at": to_local(event.starts_at, zone),
        "ends_at": to_local(event.ends_at, zone),
        "capacity": event.capacity,
        "rsvp_deadline": event.rsvp_deadline and to_local(event.rsvp_deadline, zone),
        "guests_allowed": event.guests_allowed,
    }


def organisers_only():
    """403 unless the user is one of the group's organisers (not a co-host)."""
    if not can_organise_event(current_user, g.event):
        abort(403)


@manage.route("/edit", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def edit():
    """Change the event (a date of a series alone, or with the later ones: the group's
    organisers'); people going hear of a new time or place (mail receivers)."""
    event = g.event
    # A co-host of a date of a series co-hosts that date alone: their form asks nothing
    # of the later ones, and changes this date only.
    whole_series = event.series_id is not None and can_organise_event(current_user, event)
    form_class = SeriesDateForm if whole_series else EventForm
    form = form_class() if request.method == "POST" else form_class(data=form_values(event))
    if form.validate_on_submit():
        try:
            if getattr(form, "applies_to", None) and form.applies_to.data == FOLLOWING:
                changes = update_following(current_user, event, form.details())
            else:
                changes = update_event(current_user, event, form.details())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("The event is saved.") if changes else _("Nothing changed."), "success")
            return redirect_to(event_url(event))
    return render_form(
        "events/edit.html", "events/_event_form.html", form, event=event, group=g.group
    )


@manage.post("/publish")
def publish():
    """Publish a draft (a series with all its dates): the group's members see it and may
    answer."""
    if g.event.series_id is not None:
        # Every date of the series goes out with it: the group's organisers' to do.
        organisers_only()
    if EmptyForm().validate_on_submit():
        try:
            if g.event.series_id is None:
                publish_event(current_user, g.event)
            else:
                published = publish_series(current_user, g.event.series)
            # An announcement to the whole group is the group's organisers' to send.
            if request.form.get("announce") and can_organise_event(current_user, g.event):
                announce_publication(current_user, g.event)
        except RuleError as error:
            refuse(error)
        else:
            flash(
                _("The event is published: the group's members can see it and answer.")
                if g.event.series_id is None
                else ngettext(
                    "The series is published, %(num)d date so far: the group's members can "
                    "see it and answer.",
                    "The series is published, %(num)d dates so far: the group's members can "
                    "see it and answer.",
                    len(published),
                ),
                "success",
            )
    return redirect_to(event_url(g.event))


def confirmation(page, fragment, form):
    return render(
        page,
        fragment,
        status=422 if form.is_submitted() else 200,
        event=g.event,
        group=g.group,
        form=form,
    )


@manage.route("/cancel", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def cancel():
    """GET asks; POST cancels. The page stays, marked cancelled."""
    organisers_only()
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            cancel_event(current_user, g.event)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("The event is cancelled."), "info")
            return redirect_to(event_url(g.event))
    return confirmation("events/cancel.html", "events/_cancel.html", form)


@manage.route("/delete", methods=["GET", "POST"])
def delete():
    """GET asks; POST deletes (kept, hidden): the event vanishes from lists and its page."""
    organisers_only()
    form = EmptyForm()
    if form.validate_on_submit():
        title = g.event.title
        try:
            delete_event(current_user, g.event)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is deleted.", title=title), "info")
            return redirect_to(url_for("groups.detail", slug=g.group.slug))
    return confirmation("events/delete.html", "events/_delete.html", form)
