"""Check-in at the door: an event's organisers find the people going as they type, check
each in with one tap (or undo it), and see how many came, in step across several phones.
Endpoints events.checkin.*, under a nested blueprint whose loader authorises first (log in,
404 to those who may not see the event, 403 to those who may not manage it)."""

from flask import g

from webapp.web.manage import authorised_blueprint


def load_event_for_door(values):
    """Every door view gets g.event, already checked."""
    from webapp.events.access import can_manage_event, get_event

    g.event = get_event(values.pop("event_id"), need=can_manage_event)


manage = authorised_blueprint(
    "checkin", __name__, "/events/<int:event_id>/door", load_event_for_door
)


def attach_views():
    """Import the module whose routes attach to manage (see webapp.events.attach_views)."""
    from webapp.events.checkin import door  # noqa: F401
