"""Events: a group's events and people's answers to them (views.py, rsvp_views.py), their
agenda, calendars and mail, and the organisers' pages (manage_*.py), which a nested
blueprint loads and authorises before any view runs."""

from flask import Blueprint, abort, g
from flask_login import current_user

from webapp.extensions import login_manager

bp = Blueprint("events", __name__)
manage = Blueprint("manage", __name__, url_prefix="/events/<int:event_id>/manage")


@manage.url_value_preprocessor
def load_managed_event(endpoint, values):
    """Every manage view gets g.event (and g.group), already checked: log in first, 404
    to those who may not see the event, 403 to those who may see but not manage it."""
    from webapp.events.access import can_manage_event, get_event

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    g.event = get_event(values.pop("event_id"), need=can_manage_event)
    g.group = g.event.group


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp or to a nested blueprint of their own,
    which each registers on bp when imported (see create_app)."""
    from webapp.events import (  # noqa: F401
        agenda_views,
        calendar_views,
        manage_events,
        rsvp_views,
        views,
    )
