"""Checking someone in, and undoing it. Both are as good twice as once, so two phones at
the door never disagree; each moves the door's live counts on once it commits. And the
walk-ins: added and removed at the door, taking one of the event's places only when the
organiser says so, under the event's lock as an answer takes its places."""

import sqlalchemy as sa

from webapp import live
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.checkin.models import CheckIn, WalkIn
from webapp.events.rsvp.counters import lock_event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.services import panel_changed
from webapp.events.rsvp.waitlist import promote_who_fits
from webapp.extensions import db
from webapp.groups.models import Group
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
        _mark_door_used(event)
    return written


def _mark_door_used(event):
    """The event's group has used a door: its members' pages may say how often they came
    (webapp.events.checkin.attendance). One UPDATE that changes the row the first time."""
    db.session.execute(
        sa.update(Group)
        .where(Group.id == event.group_id, Group.door_used.is_(False))
        .values(door_used=True)
    )


def undo_check_in(actor, event, user_id):
    """Take user_id's check-in back (a tap on the wrong name); nothing if there was none."""
    removed = db.session.execute(
        sa.delete(CheckIn).where(CheckIn.event_id == event.id, CheckIn.user_id == user_id)
    ).rowcount
    if removed:
        live.bump_after_commit(door_topic(event.id))
    return bool(removed)


def add_walk_in(actor, event, name, email, takes_place):
    """Someone who came without an answer. takes_place: they take one of the event's
    places, refused when none is left (the organiser may add them without one)."""
    lock_event(event)
    if event.is_cancelled:
        raise RuleError(_("This event is cancelled."))
    if takes_place:
        if event.capacity is not None and event.places_taken + 1 > event.capacity:
            raise RuleError(
                _("No place is left: add them without taking one, or raise the capacity."),
                "takes_place",
            )
        event.places_taken += 1
        panel_changed(event)
    walk_in = WalkIn(
        event_id=event.id,
        name=name,
        email=email or None,
        takes_place=takes_place,
        added_by_id=actor.id,
        added_at=utcnow(),
    )
    db.session.add(walk_in)
    db.session.flush()
    live.bump_after_commit(door_topic(event.id))
    return walk_in


def remove_walk_in(actor, event, walk_in_id):
    """A walk-in added by mistake; the place they took goes to the waitlist. None when
    they were removed already (another phone)."""
    lock_event(event)
    walk_in = db.session.scalar(
        sa.select(WalkIn).where(WalkIn.id == walk_in_id, WalkIn.event_id == event.id)
    )
    if walk_in is None:
        return None
    db.session.delete(walk_in)
    if walk_in.takes_place:
        event.places_taken -= 1
        panel_changed(event)
        db.session.flush()
        if not event.has_ended():
            promote_who_fits(event)
    db.session.flush()
    live.bump_after_commit(door_topic(event.id))
    return walk_in
