from flask import Blueprint

from webapp.accounts.signals import email_verified

bp = Blueprint("groups", __name__)


@email_verified.connect
def _join_invited_groups(user, **extra):
    """Someone who signed up from an invitation lands in the group once verified."""
    from webapp.groups.invitations import accept_pending_for

    accept_pending_for(user)


from webapp.groups import (  # noqa: E402, F401  (attach views)
    group_settings,
    invitation_routes,
    manage,
    routes,
)
