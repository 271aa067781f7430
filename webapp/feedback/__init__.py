"""Feedback on an event, after it ends: a rating and a comment from each person who was
going, editable for 14 days; the organisers see the spread and the comments, members the
average once enough people answered."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)


def attach_views():
    """Import the modules whose routes attach to bp (see create_app)."""
    from webapp.feedback import views  # noqa: F401
