"""What talk shows on other features' pages (webapp/web/panels.py): the event's comments
under it, and the group's latest discussions on its page."""

from flask_login import current_user

from webapp.discussions.access import can_read_group_talk, can_start_discussion
from webapp.discussions.queries import ON_EVENT_PAGE, latest_discussions
from webapp.discussions.threads import comments_view
from webapp.web.panels import add_panel


@add_panel("events.detail", "comments", "discussions/_thread.html", order=40)
def event_comments(event):
    """The event's latest comments and the form to write one (or, to those who may not
    read them, the word that members talk here)."""
    return {"comments": comments_view(event, number=1, per_page=ON_EVENT_PAGE)}


@add_panel("groups.detail", "discussions", "discussions/_group_panel.html", order=25)
def group_discussions(group, can_manage):
    """The group's latest discussions, for those who take part in it (no query until the
    group has one); nothing for anyone else."""
    if not can_read_group_talk(current_user, group):
        return {"discussions": None}
    return {
        "discussions": latest_discussions(group, with_hidden=can_manage),
        "can_start_discussion": can_start_discussion(current_user, group),
    }
