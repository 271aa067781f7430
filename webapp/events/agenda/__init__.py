"""An event's agenda: sessions inside the event's time with their speakers. The rules
(services.py) and reads (queries.py); organisers edit it in place (manage_agenda.py) under
a nested blueprint whose loader authorises first (log in, 404 to those who may not see
the event, 403 to those who may not change its agenda). Endpoints events.agenda.*."""

from flask import g

from webapp.web.manage import authorised_blueprint


def load_event_for_agenda(values):
    """Every agenda view gets g.event, already checked (a cancelled event's agenda: 403)."""
    from webapp.events.access import get_event
    from webapp.events.agenda.queries import can_edit_agenda

    g.event = get_event(values.pop("event_id"), need=can_edit_agenda)


manage = authorised_blueprint(
    "agenda", __name__, "/events/<int:event_id>/agenda", load_event_for_agenda
)


def attach_views():
    """Import the module whose routes attach to manage (see webapp.events.attach_views)."""
    from webapp.events.agenda import manage_agenda  # noqa: F401
