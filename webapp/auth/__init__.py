from flask import Blueprint

bp = Blueprint("auth", __name__)


def attach_views():
    """Import the modules whose routes (and the session loader) attach (see create_app)."""
    from webapp.auth import session_loader, views  # noqa: F401
