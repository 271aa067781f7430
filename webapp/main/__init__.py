from flask import Blueprint

bp = Blueprint("main", __name__)


def attach_views():
    """Import the modules whose routes attach to bp (see create_app)."""
    from webapp.main import language_views, views  # noqa: F401
