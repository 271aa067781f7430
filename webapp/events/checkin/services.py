"""Checking someone in, and undoing it. Both are as good twice as once, so two phones at
the door never disagree; each moves the door's live counts on once it commits."""

import sqlalchemy as sa

from webapp import live
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.checkin.models import CheckIn
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.web.translating import gettext as _


def door_topic(event_id):
    return live.topic("door", "event", event_id)


def check_in(actor, event, user_id):
    """Check user_id in at event's door: they must be going. True when this call did it,
    False when they were checked in already (another phone, a second tap)."""
    going = db.session.scalar(
        sa.select(Rsvp.id).where(
            Rsvp.event_id == event.id, Rsvp.user_id == user_id, Rsvp.answer == Answer.GOING
        )
    )
    if going is None:
        raise RuleError(_("Only people going can be checked in."))
    written = insert_or_ignore(
        CheckIn,
        event_id=event.id,
        user_id=user_id,
        checked_in_by_id=actor.id,
        checked_in_at=utcnow(),
    )
    if written:
        live.bump_after_commit(door_topic(event.id))
    return written


def undo_check_in(actor, event, user_id):
    """Take user_id's check-in back (a tap on the wrong name); nothing if there was none."""
    removed = db.session.execute(
        sa.delete(CheckIn).where(CheckIn.event_id == event.id, CheckIn.user_id == user_id)
    ).rowcount
    if removed:
        live.bump_after_commit(door_topic(event.id))
    return bool(removed)
