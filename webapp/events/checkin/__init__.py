"""Check-in at the door: an event's organisers find the people going as they type, check
each in with one tap (or undo it), or scan a person's door pass, and see how many came, in
step across several phones. The organisers' endpoints are events.checkin.*, under a nested
blueprint whose loader authorises first (log in, 404 to those who may not see the event,
403 to those who may not manage it); a person's own pass is events.door_pass.*."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint


def load_event_for_door(values):
    """Every door view gets g.event, already checked."""
    from webapp.events.access import can_manage_event, get_event

    g.event = get_event(values.pop("event_id"), need=can_manage_event)


manage = authorised_blueprint(
    "checkin", __name__, "/events/<int:event_id>/door", load_event_for_door
)


bp = Blueprint("door_pass", __name__, url_prefix="/events/<int:event_id>/pass")


def attach_views():
    """Import the modules whose routes attach to manage and bp, and the one whose column
    and panel show on the group's pages (see webapp.events.attach_views)."""
    from webapp.events.checkin import attendance, door, views  # noqa: F401
