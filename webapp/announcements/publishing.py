"""Publishing an event can announce it: the organiser ticks "Announce it to the group's
members" (ticked at first in groups that choose it in their settings), and the members
get an announcement of the new event, counted in the group's week like any other."""

from webapp.announcements.forms import AnnouncementText
from webapp.announcements.services import announce
from webapp.events.signals import publication_announced
from webapp.events.times import span_text
from webapp.web.public_url import absolute_url
from webapp.web.translating import gettext as _


@publication_announced.connect
def announce_new_event(event, actor, **extra):
    """An announcement to the whole group, written in the organiser's language."""
    when = span_text(event.starts_at, event.ends_at, event.zone)
    address = absolute_url("events.detail", event_id=event.id)
    body = _("**%(title)s**: %(when)s.", title=event.title, when=when)
    body += "\n\n" + _("[See the event and answer](%(url)s)", url=address)
    text = AnnouncementText(_("New event: %(title)s", title=event.title)[:150], body, (), None)
    return announce(actor, event.group, text)
