"""robots.txt, the sitemaps (an index of pages of public groups and of public events, each
page at most URLS_PER_PAGE addresses, as the sitemaps protocol caps a file at 50,000) and
/favicon.ico. Public by design: anyone, logged in or not, reads the same."""

import functools
import math
from pathlib import Path

from flask import Response, abort, current_app, render_template

from webapp.open_web import bp
from webapp.open_web.queries import (
    public_event_count,
    public_events_page,
    public_group_count,
    public_groups_page,
)
from webapp.web import public_url

URLS_PER_PAGE = 10_000
# Pages a crawler should leave alone: one's own, the organisers' and the site admins',
# emailed links (each carries a token), and the ways in. Private groups' pages answer a
# crawler 404 already.
DISALLOWED = (
    "/admin",
    "/settings",
    "/tasks",
    "/reports",
    "/calendar/",
    "/invitations/",
    "/unsubscribe/",
    "/verify",
    "/password/",
    "/login",
    "/logout",
    "/signup",
    "/language",
    "/metrics",
    "/groups/new",
    "/groups/*/manage",
    "/events/*/manage",
    "/events/*/attendees",
    "/events/*/cohosts",
    "/events/*/door",
    "/events/*/questions",
    "/events/*/answers",
    "/events/*/as-guest",
    "/events/*/pass",
    "/polls/*/manage",
    "/announcements/*/manage",
    "/discussions/*/manage",
    "/comments/",
)
# Crawlers ask for these again now and then; a day keeps the load of a busy site low.
ROBOTS_MAX_AGE = 86_400
ICON_MAX_AGE = 7 * 86_400


def _xml(template, **context):
    response = Response(render_template(template, **context), mimetype="application/xml")
    # The same for everyone: no session is read or made for it.
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/robots.txt")
def robots_txt():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines.append(f"Sitemap: {public_url.absolute_url('open_web.sitemap_index')}")
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.headers["Cache-Control"] = f"public, max-age={ROBOTS_MAX_AGE}"
    return response


@bp.get("/sitemap.xml")
def sitemap_index():
    """The sitemaps of groups and of events, as many pages of each as they fill (one at
    least, so an empty site still has a valid index)."""
    pages = [
        public_url.absolute_url(endpoint, number=number)
        for endpoint, count in (
            ("open_web.groups_sitemap", public_group_count()),
            ("open_web.events_sitemap", public_event_count()),
        )
        for number in range(1, max(1, math.ceil(count / URLS_PER_PAGE)) + 1)
    ]
    return _xml("open_web/sitemap_index.xml", pages=pages)


@bp.get("/sitemap-groups-<int:number>.xml")
def groups_sitemap(number):
    rows = public_groups_page(number, URLS_PER_PAGE) if number >= 1 else []
    if not rows and number != 1:
        abort(404)
    urls = [
        (public_url.absolute_url("groups.detail", slug=slug), created_at)
        for slug, created_at in rows
    ]
    return _xml("open_web/sitemap.xml", urls=urls)


@bp.get("/sitemap-events-<int:number>.xml")
def events_sitemap(number):
    rows = public_events_page(number, URLS_PER_PAGE) if number >= 1 else []
    if not rows and number != 1:
        abort(404)
    urls = [
        (public_url.absolute_url("events.detail", event_id=event_id, slug=slug), updated_at)
        for event_id, slug, updated_at in rows
    ]
    return _xml("open_web/sitemap.xml", urls=urls)


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers and feed readers ask for at the root (pages name the SVG one)."""
    response = Response(_icon(current_app.static_folder), mimetype="image/vnd.microsoft.icon")
    response.headers["Cache-Control"] = f"public, max-age={ICON_MAX_AGE}"
    return response


@functools.cache
def _icon(static_folder):
    return (Path(static_folder) / "img" / "favicon.ico").read_bytes()
