"""Lists of coming events made to be shown inside another website (an <iframe>): a public
group's, and the site's. Server-rendered with no JavaScript and no cookie; each event
links to its page on Hearth in a new tab. Which sites may frame a group's list is the
group's setting (`frame-ancestors`): any, or those its organisers listed; the site's list
follows EMBED_FRAME_ANCESTORS. Light or dark by ?theme=, else as the reader's system."""

from flask import current_app, request

from webapp.database.times import utcnow
from webapp.events.calendar.ics import event_page_url, location_text
from webapp.events.times import iso, span_text, zone_named
from webapp.open_web import bp
from webapp.open_web.access import public_group
from webapp.open_web.embedding import frame_ancestors
from webapp.open_web.public_answers import versioned_answer
from webapp.open_web.public_events import coming_events
from webapp.open_web.versions import site_version
from webapp.web import public_url
from webapp.web.languages import page_language
from webapp.web.translating import gettext as _

THEMES = ("light", "dark")
# As the feeds: a shared cache or the reader's browser may keep a copy this long.
EMBED_MAX_AGE = 300


def embed_policy(ancestors):
    """The page's Content-Security-Policy: no script, nothing from elsewhere, no form, and
    framed only by ancestors (a frame-ancestors value)."""
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )


@bp.get("/groups/<slug>/embed")
def group_embed(slug):
    group, version = public_group(slug)
    return _embedded(version, group, frame_ancestors(group))


@bp.get("/embed")
def site_embed():
    return _embedded(site_version(), None, current_app.config["EMBED_FRAME_ANCESTORS"])


def _embedded(version, group, ancestors):
    theme = request.args.get("theme")
    theme = theme if theme in THEMES else None
    group_id = group.id if group is not None else None

    def make(language, updated):
        if group is None:
            title, more_url = _("Events on Hearth"), public_url.absolute_url("events.index")
        else:
            title = _("Events of %(group)s", group=group.name)
            more_url = public_url.absolute_url("groups.detail", slug=group.slug)
        # Not render_template: its context reads who is logged in, and this answer is
        # the same for everyone.
        return current_app.jinja_env.get_template("open_web/embed.html").render(
            title=title,
            theme=theme,
            html_language=page_language(),
            items=[_item(event) for event in coming_events(group_id, utcnow())],
            more_url=more_url,
        )

    shows = (request.endpoint, group_id, theme)
    response = versioned_answer(version, shows, make, "text/html", EMBED_MAX_AGE)
    # Its own policy, which lets the sites named frame it (webapp.web.hooks then sends
    # no X-Frame-Options, which cannot name them).
    response.headers["Content-Security-Policy"] = embed_policy(ancestors)
    return response


def _item(event):
    zone = zone_named(event.time_zone)
    return {
        "title": event.title,
        "url": event_page_url(event),
        "starts": iso(event.starts_at),
        "when": span_text(event.starts_at, event.ends_at, zone),
        "where": location_text(event, with_online_link=False),
        "cancelled": event.is_cancelled,
    }
