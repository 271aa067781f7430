"""What talk shows on other features' pages (webapp/web/panels.py): the event's comments
under it."""

from webapp.discussions.threads import comments_view
from webapp.web.panels import add_panel


@add_panel("events.detail", "comments", "discussions/_event_comments.html", order=40)
def event_comments(event):
    """The event's latest comments and the form to write one (or, to those who may not
    read them, the word that members talk here)."""
    return {"comments": comments_view(event, number=1)}
