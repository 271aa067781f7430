"""The organisers' page of an event's co-hosts: who they are, with Remove, and a form that
names one from the group's active members (a search narrows the list of a big group).
Each form swaps the section in place with htmx and posts back to the page without
JavaScript."""

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.cohosts import manage
from webapp.events.cohosts.forms import CohostForm
from webapp.events.cohosts.queries import CANDIDATES_SHOWN, candidates_for, cohosts_of
from webapp.events.cohosts.services import add_cohost, remove_cohost
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render, wants_fragment
from webapp.web.translating import gettext as _


def page_url(event, **values):
    return url_for("events.cohosts.page", event_id=event.id, **values)


def page_context(event, form=None, query=""):
    people = candidates_for(event, query)
    form = form or CohostForm(formdata=None)
    form.offer(people[:CANDIDATES_SHOWN])
    return {
        "event": event,
        "cohosts": cohosts_of(event),
        "form": form,
        "more_candidates": len(people) > CANDIDATES_SHOWN,
        "query": query,
        "remove_form": EmptyForm(),
    }


def _render(event, form=None, status=200):
    query = request.args.get("q", "").strip()[:100]
    return render(
        "events/cohosts/manage.html",
        "events/cohosts/_manage.html",
        status=status,
        **page_context(event, form, query),
    )


@manage.route("", methods=["GET", "POST"])
def page():
    """GET: the co-hosts, and the members who could be one (matching ?q=). POST: name
    one; 422 beside the field when they cannot be."""
    event, form = g.event, CohostForm()
    if not form.is_submitted():
        return _render(event)
    if form.validate_on_submit():
        try:
            person = add_cohost(current_user, event, form.user_id())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("%(name)s co-hosts this event now.", name=person.name), "success")
            if not wants_fragment():
                return redirect(page_url(event), 303)
            return _render(event)
    return _render(event, form, status=422)


@manage.post("/<int:user_id>/remove")
def remove(user_id):
    """Remove a co-host: they run this event no more (and stay a member of the group)."""
    event = g.event
    if EmptyForm().validate_on_submit():
        person = remove_cohost(current_user, event, user_id)
        if person is None:
            flash(_("That person was not a co-host of this event any more."), "info")
        else:
            flash(_("%(name)s no longer co-hosts this event.", name=person.name), "success")
    if not wants_fragment():
        return redirect(page_url(event), 303)
    return _render(event)
