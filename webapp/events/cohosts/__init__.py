"""Co-hosts of an event: members of its group an organiser names to run that one event
with them (webapp.events.access says what they may do, and what stays the organisers').
The organisers name and remove them on a page of the event's (manage_cohosts.py, under a
nested blueprint whose loader authorises first); the event's page shows them. Endpoints
events.cohosts.*."""

from flask import g

from webapp.web.manage import authorised_blueprint


def load_event_for_cohosts(values):
    """Every view gets g.event, already checked: the group's organisers alone (a co-host
    names no other)."""
    from webapp.events.access import can_organise_event, get_event

    g.event = get_event(values.pop("event_id"), need=can_organise_event)


manage = authorised_blueprint(
    "cohosts", __name__, "/events/<int:event_id>/cohosts", load_event_for_cohosts
)


def attach_views():
    """Import the module whose routes attach to manage (see webapp.events.attach_views)."""
    from webapp.events.cohosts import manage_cohosts  # noqa: F401
