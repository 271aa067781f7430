"""Files of an event: its group's members upload documents and images, whoever may see
the event downloads them, uploaders and organisers delete them. The bytes live in
webapp.storage under server-made keys; a stored_files row holds what people see."""

from flask import Blueprint

bp = Blueprint("files", __name__)


def attach_views():
    """Import the module whose routes attach to bp (see create_app)."""
    from webapp.files import views  # noqa: F401
