"""What events show on other features' pages (webapp/web/panels.py)."""

from webapp.events.queries import upcoming_of_group
from webapp.web.panels import add_panel


@add_panel("groups.detail", "events", "events/_group_events.html", order=10)
def group_events(group, can_manage):
    """The group's next events, and its drafts for those who manage it."""
    return {"upcoming_events": upcoming_of_group(group, with_drafts=can_manage)}
