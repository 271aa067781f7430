"""Groups: finding, joining and leaving them (views.py), and their manage pages
(manage_*.py), which a nested blueprint loads and authorises before any view runs."""

from flask import Blueprint, g

from webapp.accounts.signals import email_verified
from webapp.web.manage import authorised_blueprint

bp = Blueprint("groups", __name__)


def load_managed_group(values):
    """Every manage view gets g.group, already checked: log in first, 404 to those who may
    not see the group, 403 to those who may see but not manage it."""
    from webapp.groups.access import can_manage, get_group

    g.group = get_group(values.pop("slug"), need=can_manage)


manage = authorised_blueprint("manage", __name__, "/groups/<slug>/manage", load_managed_group)


@email_verified.connect
def _join_invited_groups(user, **extra):
    """Someone who signed up from an invitation lands in the group once verified."""
    from webapp.groups.invitations import accept_pending_for

    accept_pending_for(user)


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp and manage (see create_app)."""
    from webapp.groups import manage_invitations, manage_members, manage_settings, views  # noqa: F401
