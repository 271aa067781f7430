"""One-click unsubscribe: turning off a kind of mail from the link in the email itself,
without logging in.

Every message a person can turn off carries a link that names them and the kind
(webapp.accounts.tokens.unsubscribe_url), signed so that it works for nobody else and
for no other kind. The kinds are those of the event email settings (EventMailKind), and
ALL_NOTIFICATIONS, the profile's "Email me about my groups and events", for the mail
only that switch governs (a group's join requests to its organisers). Features above
events add kinds of their own, named "prefix:detail" (a group's announcements:
"announcements:42"), with register_unsubscribe_kind.
"""

from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.accounts.tokens import ALL_NOTIFICATIONS, read_unsubscribe_token
from webapp.database.inserts import insert_or_ignore
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.mail.sending import KIND_NAMES
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.web.converters import MAX_ID
from webapp.web.translating import lazy_gettext as _l

# The profile's switch, as a kind: how its mail is named, and the label of its switch.
# TRANSLATORS: read in "Hearth will no longer email you %(name)s".
ALL_NAME = _l("news of your groups and events")
ALL_SETTING = _l("Email me about my groups and events")


class Unsubscribe(NamedTuple):
    """What one unsubscribe link turns off, for whom, and how people read it."""

    user: User
    kind: str  # an EventMailKind value, or ALL_NOTIFICATIONS
    name: str  # the mail, in a sentence: "reminders"
    setting: str  # the label of its switch in the settings
    section: str  # the settings section that holds the switch
    # For a feature's kind: what turns it off (None: the event email settings' switch).
    turn_off: Callable | None = None
    # Where it is turned back on, when not in the settings.
    settings_url: str | None = None


# A feature's kinds: prefix -> describe(user, detail), giving the Unsubscribe (or None).
_FEATURE_KINDS = {}


def register_unsubscribe_kind(prefix, describe):
    """Let links of kind "prefix:detail" unsubscribe: describe(user, detail) returns the
    Unsubscribe they stand for (with its turn_off), or None when detail names nothing."""
    _FEATURE_KINDS[prefix] = describe


def live_group_of(detail):
    """The live group a kind's detail names by id ("announcements:42"), or None."""
    if not detail.isdigit() or not 1 <= int(detail) <= MAX_ID:
        return None
    group = db.session.get(Group, int(detail))
    return group if group is not None and group.is_live else None


def unsubscribe_for(token):
    """The Unsubscribe a link's token names, or None if it is not ours or its person is
    gone."""
    named = read_unsubscribe_token(token)
    if named is None:
        return None
    user_id, kind = named
    prefix, _sep, detail = kind.partition(":")
    if prefix in _FEATURE_KINDS and detail:
        user = db.session.get(User, user_id)
        return _FEATURE_KINDS[prefix](user, detail) if user is not None else None
    if kind == ALL_NOTIFICATIONS:
        name, setting, section = ALL_NAME, ALL_SETTING, "profile"
    elif kind in EventMailKind.values():
        mail_kind = EventMailKind(kind)
        name, setting, section = KIND_NAMES[mail_kind], mail_kind.label, "event-mail"
    else:
        return None
    user = db.session.get(User, user_id)
    if user is None:
        return None
    # Text in the language of this request, escaped like any other text on the page.
    return Unsubscribe(user, kind, str(name), str(setting), section)


def unsubscribe(subscription):
    """Turn its kind of mail off for its person: twice, or two at once, is as once."""
    user_id = subscription.user.id
    if subscription.turn_off is not None:
        subscription.turn_off()
    elif subscription.kind == ALL_NOTIFICATIONS:
        db.session.execute(
            sa.update(User).where(User.id == user_id).values(email_notifications=False)
        )
    else:
        insert_or_ignore(EventMailOptOut, user_id=user_id, kind=EventMailKind(subscription.kind))
    db.session.flush()
