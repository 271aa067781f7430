"""Which kinds of event email a person wants: the settings form, reading and saving it.

Every kind is on until turned off (a row in event_mail_opt_outs). The older profile
switch, users.email_notifications ("Email me about my groups and events"), stays the
master switch over them: with it off no optional email about groups or events goes out,
whatever is ticked here; with it on, these boxes choose kind by kind.
"""

import sqlalchemy as sa
from wtforms import BooleanField

from webapp.accounts.models import User
from webapp.database.inserts import insert_or_ignore
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.extensions import db
from webapp.web.forms import SectionForm


class EventMailForm(SectionForm):
    section = "event-mail"

    def chosen_kinds(self):
        return {kind for kind in EventMailKind if getattr(self, kind.value).data}


for _kind in EventMailKind:
    setattr(EventMailForm, _kind.value, BooleanField(_kind.label))


class CalendarFeedForm(SectionForm):
    """Make a new calendar feed address (the button carries only its CSRF token)."""

    section = "calendar"


def opted_out_kinds(user):
    return set(
        db.session.scalars(
            sa.select(EventMailOptOut.kind).where(EventMailOptOut.user_id == user.id)
        )
    )


def mail_form_for(user):
    """The form showing what user gets now (not reading the request)."""
    wanted = set(EventMailKind) - opted_out_kinds(user)
    return EventMailForm(formdata=None, data={kind.value: kind in wanted for kind in EventMailKind})


def save_mail_choices(user, wanted_kinds):
    """Keep the kinds in wanted_kinds on and turn every other kind off."""
    unwanted = set(EventMailKind) - set(wanted_kinds)
    db.session.execute(
        sa.delete(EventMailOptOut).where(
            EventMailOptOut.user_id == user.id, EventMailOptOut.kind.not_in(unwanted)
        )
    )
    for kind in sorted(unwanted):
        # Two saves at once would both insert: the second finds the row and moves on.
        insert_or_ignore(EventMailOptOut, user_id=user.id, kind=kind)
    db.session.flush()


def wants_event_mail_at_all():
    """SQL on User: an active, verified account that takes optional email."""
    return sa.and_(
        User.active.is_(True),
        User.email_verified_at.is_not(None),
        User.email_notifications.is_(True),
    )


def wants_event_mail(kind):
    """SQL on User: an active, verified account that takes optional email and this kind."""
    return sa.and_(
        wants_event_mail_at_all(),
        ~sa.exists().where(EventMailOptOut.user_id == User.id, EventMailOptOut.kind == kind),
    )
