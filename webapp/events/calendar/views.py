"""Calendar files: one event's .ics for whoever may see the event, and each person's
private feed, whose secret address is its only credential (no login: calendar apps
subscribe without one)."""

import re

from flask import abort, make_response, request
from flask_login import current_user

from webapp.events.access import find_event
from webapp.events.calendar import bp
from webapp.events.calendar.feeds import feed_entries, sequence_of, user_for_feed_token
from webapp.events.calendar.ics import event_calendar, feed_calendar
from webapp.events.mail import notify  # noqa: F401  (notify connects the mail and calendar receivers)
from webapp.groups.access import can_take_part
from webapp.web.languages import in_language, language_of

# Calendar apps poll a feed every few hours; a copy this fresh is good enough.
FEED_MAX_AGE = 15 * 60


def ics_response(body, filename, disposition="attachment"):
    # Only the characters of a slug: nothing that could break out of the header.
    safe_name = re.sub(r"[^a-z0-9-]+", "-", filename.lower()).strip("-") or "event"
    response = make_response(body)
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_name}.ics"'
    return response


@bp.get("/events/<int:event_id>/calendar.ics")
def event_ics(event_id):
    """The event as an .ics file, for anyone who may see the event; its online link for
    those its page shows it to."""
    event = find_event(event_id)
    with_link = can_take_part(current_user, event.group)
    return ics_response(event_calendar(event, sequence_of(event), with_link), event.slug)


@bp.get("/calendar/<token>.ics")
def feed(token):
    """A person's calendar feed: the events they are going to or waiting for."""
    user = user_for_feed_token(token)
    if user is None:
        abort(404)
    # A calendar app asks with no cookie and its own Accept-Language: the feed is its
    # person's, in their language.
    with in_language(language_of(user)):
        body = feed_calendar(user, feed_entries(user))
    response = ics_response(body, "hearth", "inline")
    response.headers["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    # The address is the credential: never sent on as a referrer, never indexed.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    # An app that has this version already gets 304 and no body.
    response.add_etag()
    return response.make_conditional(request)
