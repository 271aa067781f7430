"""An event's page, as anyone who may see it sees it."""

from flask_login import current_user

from webapp.events import bp
from webapp.events.access import at_canonical_address, can_answer, can_manage_event, find_event
from webapp.events.rsvp_panel import rsvp_panel_context
from webapp.htmx import render


@bp.get("/events/<int:event_id>")
@bp.get("/events/<int:event_id>-<slug>")
def detail(event_id, slug=None):
    """The event: when and where, what it is about, and the RSVP panel."""
    event = find_event(event_id)
    at_canonical_address(event, slug)
    return render(
        "events/detail.html",
        "events/detail.html",
        event=event,
        group=event.group,
        can_answer=can_answer(current_user, event),
        can_manage=can_manage_event(current_user, event),
        **rsvp_panel_context(event),
    )
