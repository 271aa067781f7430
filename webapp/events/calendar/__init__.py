"""Calendar files: one event's .ics (ics.py, views.py) and each person's private feed
(feeds.py), whose secret address is its only credential. Endpoints events.calendar.*."""

from flask import Blueprint

bp = Blueprint("calendar", __name__)


def attach_views():
    """Import the module whose routes attach to bp (see webapp.events.attach_views)."""
    from webapp.events.calendar import views  # noqa: F401
