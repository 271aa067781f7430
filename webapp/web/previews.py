"""What a page tells the card a chat app shows for a pasted link, and search engines: a
title, a line of description and the page's address (Open Graph and Twitter card tags,
and the meta description), rendered by templates/_macros/preview.html into the layout's
head when a view passes `preview`. The image is the site's icon: a page has no picture
of its own."""

from typing import NamedTuple

from flask import url_for

from webapp.web import public_url


class Preview(NamedTuple):
    title: str
    description: str
    # The page's public address (absolute): og:url, and the canonical link.
    url: str
    # og:type: "website" for a list or a group, "article" for an event (Open Graph has
    # no type for events; an event's page says what it is in its schema.org JSON-LD).
    kind: str = "website"

    @property
    def image(self):
        return public_url.base_url() + url_for("static", filename="img/icon-512.png")


def one_line(*parts):
    """parts joined by " · ", the empty ones left out."""
    return " · ".join(part for part in parts if part)
