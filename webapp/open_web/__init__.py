"""Hearth on the open web: what search engines read (robots.txt, the sitemaps of public
groups and events), the site's icon at the address browsers ask for it, the public feeds
(feeds/), the lists of events other websites embed (embeds.py, embedding.py) and the
pictures a pasted link to a public page shows (link_cards.py). Nothing here shows a private
group, a draft or a deleted event, nor an online event's link.

What the feeds and embedded lists show changes only with a version (versions.py, moved
on as changes commit), so they are answered 304, or from the copy a process kept, for
one statement (public_answers.py)."""

from flask import Blueprint

bp = Blueprint("open_web", __name__)


def attach_views():
    """Import the modules whose routes attach to bp (see create_app)."""
    from webapp.open_web import embedding, embeds, link_cards, views  # noqa: F401
    from webapp.open_web.feeds import panels  # noqa: F401
    from webapp.open_web.feeds import views as feed_views  # noqa: F401
