"""What announcements show on the group's and the event's pages (webapp/web/panels.py)."""

from flask_login import current_user

from webapp.announcements.access import (
    answer_of,
    can_announce_to_event,
    reads_group_announcements,
)
from webapp.announcements.queries import event_announcements, group_announcements, with_reads
from webapp.events.access import can_manage_event
from webapp.web.panels import add_panel

ON_GROUP_PAGE = 3


@add_panel("groups.detail", "announcements", "announcements/_group_panel.html", order=5)
def group_panel(group, can_manage):
    """The latest announcements, for those they are for; none for visitors. No query
    until the group has announced something."""
    if not current_user.is_authenticated or not reads_group_announcements(current_user, group):
        return {"announcements": None}
    latest, read = [], set()
    if group.has_announcements:
        statement = group_announcements(group, with_waiting=False).limit(ON_GROUP_PAGE)
        latest, read = with_reads(statement, current_user)
    return {"announcements": latest, "announcements_read": read, "can_announce": can_manage}


@add_panel("events.detail", "announcements", "announcements/_event_panel.html", order=15)
def event_panel(event):
    """The announcements that went to the viewer's answer (organisers: all, and a way to
    write one); no query for visitors, nor until the event has an announcement."""
    if not current_user.is_authenticated:
        return {"event_announcements": None}
    listed, read = [], set()
    if event.has_announcements:
        if can_manage_event(current_user, event):
            statement = event_announcements(event, with_waiting=True)
        else:
            statement = event_announcements(event, answer=answer_of(current_user, event))
        listed, read = with_reads(statement, current_user)
    return {
        "event_announcements": listed,
        "event_announcements_read": read,
        "can_announce_to_event": can_announce_to_event(current_user, event),
    }
