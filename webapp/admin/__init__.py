"""The site admin's pages: counts, people, groups, reports, the outbox, failed jobs and the
audit log.

Every address under /admin answers 404 to anyone who is not a site admin, anonymous
visitors included: the check is the blueprint's, before any view, so no view can forget
it, and a 404 does not tell outsiders that the pages exist.
"""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def site_admins_only():
    if not (current_user.is_authenticated and current_user.is_site_admin):
        abort(404)


def attach_views():
    """Import the modules whose routes attach to bp (see create_app)."""
    from webapp.admin import manage_outbox, manage_reports, manage_site, views  # noqa: F401
