"""Answers and event changes made as the events and RSVP services will make them: the row
written and flushed, then the signal sent inside the same transaction, then a commit.

The services are written elsewhere; these stand in for them so the mail and calendar
receivers are tested against the signals' contract (webapp/events/signals.py).
"""

from typing import NamedTuple

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.events import signals
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db


class Party(NamedTuple):
    """An owner's group, two members and an event, as ids and addresses."""

    group_slug: str
    event_id: int
    owner_id: int
    owner_email: str
    ann_id: int
    ann_email: str
    bob_id: int
    bob_email: str


def make_party(app, visibility="public", **event_fields):
    with app.app_context():
        owner = make_user(email="owner@example.org", first_name="Olive")
        ann = make_user(email="ann@example.org", first_name="Ann", time_zone="Europe/Berlin")
        bob = make_user(email="bob@example.org", first_name="Bob")
        group = make_group(owner, name="Walkers", visibility=visibility)
        add_member(group, ann)
        add_member(group, bob)
        event_fields.setdefault("title", "Summer picnic")
        event = make_event(group, **event_fields)
        return Party(
            group.slug,
            event.id,
            owner.id,
            owner.email,
            ann.id,
            ann.email,
            bob.id,
            bob.email,
        )


def load(event_id):
    return db.session.get(Event, event_id)


def answer(app, event_id, user_id, new_answer, guests=0):
    """Answer (or change the answer) as the RSVP rules would, and send rsvp_answered."""
    with app.app_context():
        event = load(event_id)
        rsvp = db.session.scalar(
            sa.select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
        )
        previous = rsvp.answer if rsvp else None
        if rsvp is None:
            rsvp = Rsvp(event_id=event_id, user_id=user_id, answer=new_answer)
            db.session.add(rsvp)
        rsvp.answer, rsvp.guests, rsvp.answered_at = new_answer, guests, utcnow()
        rsvp.waitlist_ticket = None
        if previous == Answer.WAITLISTED:
            event.waitlist_count -= 1
        if new_answer == Answer.WAITLISTED:
            event.waitlist_tickets += 1
            event.waitlist_count += 1
            rsvp.waitlist_ticket = event.waitlist_tickets
        db.session.flush()
        signals.rsvp_answered.send(event, rsvp=rsvp, previous=previous)
        db.session.commit()


def promote(app, event_id, user_id):
    with app.app_context():
        event = load(event_id)
        rsvp = db.session.scalar(
            sa.select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
        )
        rsvp.answer, rsvp.waitlist_ticket = Answer.GOING, None
        db.session.flush()
        signals.rsvp_promoted.send(event, rsvp=rsvp)
        db.session.commit()


def change(app, event_id, **fields):
    """Edit the event and send event_changed with the names of the fields that changed."""
    with app.app_context():
        event = load(event_id)
        changed = {name for name, value in fields.items() if getattr(event, name) != value}
        for name, value in fields.items():
            setattr(event, name, value)
        db.session.flush()
        signals.event_changed.send(event, changes=changed)
        db.session.commit()


def _transition(app, event_id, signal, **fields):
    """Set fields on the event and send signal, as the event services do, then commit."""
    with app.app_context():
        event = load(event_id)
        for name, value in fields.items():
            setattr(event, name, value)
        db.session.flush()
        signal.send(event)
        db.session.commit()


def publish(app, event_id):
    _transition(
        app, event_id, signals.event_published, status=EventStatus.PUBLISHED, published_at=utcnow()
    )


def cancel(app, event_id):
    _transition(
        app, event_id, signals.event_cancelled, status=EventStatus.CANCELLED, cancelled_at=utcnow()
    )


def delete(app, event_id):
    _transition(app, event_id, signals.event_deleted, deleted_at=utcnow())
