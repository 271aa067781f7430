"""Hearth on the open web: what search engines read (robots.txt, the sitemaps of public
groups and events) and the site's icon at the address browsers ask for it. Nothing here
shows a private group, a draft or a deleted event."""

from flask import Blueprint

bp = Blueprint("open_web", __name__)


def attach_views():
    """Import the modules whose routes attach to bp (see create_app)."""
    from webapp.open_web import views  # noqa: F401
