"""What a page tells the card a chat app shows for a pasted link, and search engines: a
title, a line of description, the page's address and a picture (Open Graph and Twitter
card tags, and the meta description), rendered by templates/_macros/preview.html into
the layout's head when a view passes `preview`. The picture is the page's own card
(webapp.web.link_cards) where the open web shows the page and the card's font can write its
words, else the site's icon."""

from typing import NamedTuple

from flask import url_for

from webapp.web import public_url
from webapp.web.link_cards import HEIGHT, WIDTH, can_draw


class Card(NamedTuple):
    # Absolute, as og:image must be.
    url: str
    # What the card says, for a reader who cannot see it.
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


class Preview(NamedTuple):
    title: str
    description: str
    # The page's public address (absolute): og:url, and the canonical link.
    url: str
    # og:type: "website" for a list or a group, "article" for an event (Open Graph has
    # no type for events; an event's page says what it is in its schema.org JSON-LD).
    kind: str = "website"
    card: Card | None = None

    @property
    def image(self):
        if self.card is not None:
            return self.card.url
        return public_url.base_url() + url_for("static", filename="img/icon-512.png")


def card_of(endpoint, words, **arguments):
    """The page's card at endpoint, saying words (title, lines, footer), or None when
    its font cannot write them."""
    title, lines, footer = words
    if not can_draw(title, *lines, footer):
        return None
    return Card(public_url.absolute_url(endpoint, **arguments), one_line(title, *lines, footer))


def one_line(*parts):
    """parts joined by " · ", the empty ones left out."""
    return " · ".join(part for part in parts if part)
