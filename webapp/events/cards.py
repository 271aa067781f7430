"""An event's card in a list, rendered once for what it shows.

A card is a pure function of its EventCard (title, start, group, state, people going), of
the zone the viewer reads times in, of their language and of the site's addresses: the same
tuple renders the same HTML for every viewer in that zone and language (a handful of each
cover nearly everyone). Each web process keeps the cards it rendered last, so a page of the
list renders only the cards of events that changed since: rendering the cards was a large
share of /events' render. A changed event is a different tuple, so no card outlives what it
shows.
"""

import functools

from flask import current_app, request
from flask_babel import get_locale

from webapp.events.times import listed_html, listed_moment, zone_named
from webapp.web.templating import viewer_zone
from webapp.web.url_patterns import url_for_each

CARDS_KEPT = 4096


@functools.lru_cache(maxsize=8)
def _addresses(script_root):
    """The builders of an event's, a group's and a series' address under script_root."""
    return (
        url_for_each("events.detail", "event_id", "slug"),
        url_for_each("groups.detail", "slug"),
        url_for_each("events.series.detail", "series_id", "slug"),
    )


def _render(card, zone, script_root, language):
    """The macro's output: escaped as every template's, and marked safe by Jinja. zone:
    the viewer's, whose clocks the start is shown on (and the event's beside, if not the same).
    language: the request's, which the card's words are in (a key of the kept cards only)."""
    moment = card.starts_at
    when = listed_html(
        moment, listed_moment(moment, zone_named(card.time_zone), zone, "the event's")
    )
    template = current_app.jinja_env.get_template("events/_card.html")
    return template.module.card(card, when, *_addresses(script_root))


_kept = functools.lru_cache(maxsize=CARDS_KEPT)(_render)


def card_html(card):
    """card (an EventCard) as its HTML. Rendered afresh while templates reload when they
    change (development), so that an edited card shows."""
    language = str(get_locale())
    if current_app.jinja_env.auto_reload:
        return _render(card, viewer_zone(), request.script_root, language)
    return _kept(card, viewer_zone(), request.script_root, language)
