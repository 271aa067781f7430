from flask import Blueprint

bp = Blueprint("health", __name__)


def attach_views():
    """Import the module whose routes attach to bp (see create_app)."""
    from webapp.health import metrics, routes  # noqa: F401
