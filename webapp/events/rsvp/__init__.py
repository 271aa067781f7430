"""People's answers to an event: the rules of answering and the waitlist (services.py),
the RSVP panel and its live part, and the attendee list with the organisers' removal and
CSV export (views.py). Endpoints events.rsvp.*.

No url_value_preprocessor loads the event here: the live poll must answer "nothing
changed" without a query, and a loader would run one for every view.
"""

from flask import Blueprint

bp = Blueprint("rsvp", __name__, url_prefix="/events/<int:event_id>")


def attach_views():
    """Import the module whose routes attach to bp (see webapp.events.attach_views)."""
    from webapp.events.rsvp import views  # noqa: F401
