"""The public feeds' addresses: the site's (/events.ics, /events.atom, with ?group= and
?q= as /events takes them) and each public group's. The same for everyone, logged in or
not: no session is read or made for them, and a shared cache may keep them."""

from flask import request

from webapp.database.times import utcnow
from webapp.open_web import bp
from webapp.open_web.access import public_group
from webapp.open_web.feeds.documents import atom_document, calendar_document
from webapp.open_web.public_announcements import published_announcements
from webapp.open_web.public_answers import versioned_answer
from webapp.open_web.public_events import calendar_events, published_events
from webapp.open_web.versions import site_version
from webapp.web import public_url
from webapp.web.translating import gettext as _

CALENDAR, ATOM = "ics", "atom"
MIMETYPES = {CALENDAR: "text/calendar", ATOM: "application/atom+xml"}
# How long a shared cache or a reader may keep a copy without asking again.
FEED_MAX_AGE = 300


@bp.get("/events.ics")
def site_calendar():
    return _site_feed(CALENDAR)


@bp.get("/events.atom")
def site_atom():
    return _site_feed(ATOM)


@bp.get("/groups/<slug>/events.ics")
def group_calendar(slug):
    return _feed(CALENDAR, *public_group(slug))


@bp.get("/groups/<slug>/events.atom")
def group_atom(slug):
    return _feed(ATOM, *public_group(slug))


def _site_feed(kind):
    if slug := request.args.get("group", "").strip()[:80]:
        return _feed(kind, *public_group(slug))
    return _feed(kind, None, site_version())


def _feed(kind, group, version):
    query = request.args.get("q", "").strip()[:100]
    address = _address(group, query)

    def make(language, updated):
        return _document(kind, group, query, language, address, updated)

    headers = {
        # Public as the pages are: a calendar widget on another site may read it.
        "Access-Control-Allow-Origin": "*",
    }
    if kind == CALENDAR:
        headers["Content-Disposition"] = 'inline; filename="events.ics"'
    return versioned_answer(version, (address,), make, MIMETYPES[kind], FEED_MAX_AGE, headers)


def _address(group, query):
    """This feed's own address, as written from what it shows (the arguments it ignores
    left out)."""
    arguments = dict(request.view_args)
    if group is not None and not arguments:
        arguments["group"] = group.slug
    if query:
        arguments["q"] = query
    return public_url.absolute_url(request.endpoint, **arguments)


def _document(kind, group, query, language, address, updated):
    if group is None:
        name = _("Events on Hearth")
        page_url = public_url.absolute_url("events.index", q=query or None)
    else:
        name = _("Events of %(group)s", group=group.name)
        page_url = public_url.absolute_url("groups.detail", slug=group.slug)
    if query:
        # TRANSLATORS: the name of a feed of events found by a search word.
        name = _("%(feed)s, matching “%(query)s”", feed=name, query=query)
    group_id = group.id if group is not None else None
    if kind == CALENDAR:
        scope = f"group-{group_id}" if group is not None else "site"
        return calendar_document(name, scope, calendar_events(group_id, query, utcnow()))
    events = published_events(group_id, query)
    announcements = published_announcements(group_id, query)
    return atom_document(name, address, page_url, language, events, announcements, updated)
