"""Series of events: a rule of dates (rules.py) whose each date is a real event, made
ahead for a bounded horizon (horizon.py); starting and publishing a series and standing
answers (services.py); the series' page and its calendar file (views.py). Endpoints
events.series.*.

Like the other sub-features, the package imports nothing of events until its views attach.
"""

from flask import Blueprint

bp = Blueprint("series", __name__)


def attach_views():
    """Import the module whose routes attach to bp (see webapp.events.attach_views)."""
    from webapp.events.series import views  # noqa: F401
