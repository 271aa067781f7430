"""One click in a digest stops the digest ("digest:all", its List-Unsubscribe), or leaves
one group out of it ("digest:<group id>", a link per group in its footer): kinds of
webapp.events.mail.unsubscribe."""

from flask import url_for

from webapp.digest.sending import ALL, unsubscribe_kind
from webapp.digest.settings import leave_out_group, turn_off
from webapp.events.mail.unsubscribe import (
    Unsubscribe,
    live_group_of,
    register_unsubscribe_kind,
)
from webapp.web.translating import gettext as _


def describe(user, detail):
    """The Unsubscribe of user's digest, or of one group's part in it; None for nothing."""
    settings_url = url_for("accounts.settings", _anchor="digest")
    if detail == ALL:
        return Unsubscribe(
            user,
            unsubscribe_kind(),
            # TRANSLATORS: read in "Hearth will no longer email you %(name)s".
            _("your digest"),
            _("Send me a digest"),
            "digest",
            turn_off=lambda: turn_off(user),
            settings_url=settings_url,
        )
    group = live_group_of(detail)
    if group is None:
        return None
    return Unsubscribe(
        user,
        unsubscribe_kind(group.id),
        # TRANSLATORS: read in "Hearth will no longer email you %(name)s".
        _("news of %(group)s in your digest", group=group.name),
        _("Groups it covers"),
        "digest",
        turn_off=lambda: leave_out_group(user, group.id),
        settings_url=settings_url,
    )


register_unsubscribe_kind("digest", describe)
