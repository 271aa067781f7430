"""One click in an announcement's email stops that group's announcements, and no others:
the kind "announcements:<group id>" of webapp.events.mail.unsubscribe."""

from flask import url_for

from webapp.announcements.models import Delivery
from webapp.announcements.sending import unsubscribe_kind
from webapp.announcements.services import choose_delivery
from webapp.events.mail.unsubscribe import (
    Unsubscribe,
    live_group_of,
    register_unsubscribe_kind,
)
from webapp.web.translating import gettext as _


def describe(user, detail):
    """The Unsubscribe of one group's announcements for user, or None."""
    group = live_group_of(detail)
    if group is None:
        return None
    return Unsubscribe(
        user,
        unsubscribe_kind(group.id),
        # TRANSLATORS: read in "Hearth will no longer email you %(name)s".
        _("the announcements of %(group)s", group=group.name),
        _("Announcements of this group"),
        "announcements",
        turn_off=lambda: choose_delivery(user, group, Delivery.OFF),
        settings_url=url_for("announcements.group_list", slug=group.slug),
    )


register_unsubscribe_kind("announcements", describe)
