from flask import Blueprint

bp = Blueprint("main", __name__)


def attach_views():
    """Import the module whose routes attach to bp (see create_app)."""
    from webapp.main import views  # noqa: F401
