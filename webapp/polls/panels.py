"""What polls show on other features' pages (webapp/web/panels.py)."""

from webapp.polls.queries import open_polls_of_event, open_polls_of_group
from webapp.web.panels import add_panel


@add_panel("groups.detail", "polls", "polls/_group_polls.html", order=20)
def group_polls(group, can_manage):
    """The group's open polls that are not on an event."""
    return {"open_polls": open_polls_of_group(group)}


@add_panel("events.detail", "polls", "polls/_event_polls.html", order=20)
def event_polls(event):
    """The event's open polls."""
    return {"open_polls": open_polls_of_event(event)}
