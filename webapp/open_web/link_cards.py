"""The pictures a public page's link preview shows (its og:image): an event's card (its
title, when, where, its group), a series' (its rule in words), a group's (its name and
summary) and the events list's, drawn by webapp.web.link_cards in the reader's language.

What a card shows moves its group's version (versions.py), so a card is answered 304, or
from the copy the process kept, for the one statement that reads the version. Only what
the open web shows has a card: a draft, a private group's page or a deleted event 404s,
as does a page whose words the card's font cannot write (the page keeps the site's
icon then)."""

from flask import abort, request

from webapp.events.previews import event_card_words, events_list_card_words
from webapp.events.series.previews import series_card_words
from webapp.groups.previews import group_card_words
from webapp.open_web import bp
from webapp.open_web.access import public_group
from webapp.open_web.models import SITE
from webapp.open_web.public_answers import versioned_answer
from webapp.open_web.public_events import public_event_and_version, public_series_and_version
from webapp.open_web.versions import site_version
from webapp.web.link_cards import can_draw, draw_card

# As the feeds: a shared cache or a chat app may keep a copy this long.
CARD_MAX_AGE = 300


@bp.get("/events/card.png")
def events_card():
    """The events list's: the same for the whole site, moved on with the site's version."""
    return _card(site_version(), SITE, lambda _site: events_list_card_words())


@bp.get("/events/<int:event_id>/card.png")
def event_card(event_id):
    event, version = public_event_and_version(event_id)
    return _card(version, event, event_card_words)


@bp.get("/series/<int:series_id>/card.png")
def series_card(series_id):
    series, version = public_series_and_version(series_id)
    return _card(version, series, series_card_words)


@bp.get("/groups/<slug>/card.png")
def group_card(slug):
    group, version = public_group(slug)
    return _card(version, group, group_card_words)


def _card(version, shown, words_of):
    if shown is None:
        abort(404)

    def make(_language, _updated):
        title, lines, footer = words_of(shown)
        if not can_draw(title, *lines, footer):
            abort(404)
        return draw_card(title, lines, footer)

    shows = (request.endpoint, getattr(shown, "id", shown))
    return versioned_answer(version, shows, make, "image/png", CARD_MAX_AGE)
