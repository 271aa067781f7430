"""The ways to a page's feeds: <link rel="alternate"> in its head (base.html reads
`alternates`), for feed readers and browsers to find, and a line of links under the
group's events and the list of events, for people to subscribe with."""

from typing import NamedTuple

from flask import url_for

from webapp.open_web.access import is_public
from webapp.web.panels import add_panel
from webapp.web.translating import gettext as _


class Alternate(NamedTuple):
    type: str
    title: str
    url: str


def _alternates(endpoints, **arguments):
    calendar, atom = endpoints
    return [
        Alternate("text/calendar", _("Calendar feed"), url_for(calendar, **arguments)),
        Alternate("application/atom+xml", _("Atom feed"), url_for(atom, **arguments)),
    ]


@add_panel("groups.detail", "feeds", "open_web/_feeds.html", order=15)
def group_feeds(group, can_manage):
    """A public group's feeds (a private group's events are its members' alone)."""
    if not is_public(group):
        return {"alternates": []}
    endpoints = ("open_web.group_calendar", "open_web.group_atom")
    return {"alternates": _alternates(endpoints, slug=group.slug)}


@add_panel("events.index", "feeds", "open_web/_feeds.html", order=10)
def listed_feeds(group, query):
    """The feeds of the events listed: of every public group, or of the one listed."""
    if group is not None and not is_public(group):
        return {"alternates": []}
    arguments = {"group": group and group.slug, "q": query or None}
    return {
        "alternates": _alternates(("open_web.site_calendar", "open_web.site_atom"), **arguments)
    }
