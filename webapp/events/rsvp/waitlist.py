"""Promotion from the waitlist: "first in line who fits".

When places free, the waiting people are taken in ticket order and each one whose party
(they and their guests) fits in the places left is promoted. A party too big for what is
left keeps its place at the head of the line, and people behind it who fit go ahead,
rather than leave places empty that it may never fill. So after every change, nobody on
the waitlist fits in the places left (only those who may answer it are promoted, as
events.access.may_answer says: someone who left the group waits, unmailed).

Run under the event's lock, by the services that free places (services.py).
"""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.events import signals
from webapp.events.access import takes_guests
from webapp.events.rsvp.counters import move_answer
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Membership, MembershipStatus


def place_of_new_ticket(event):
    """The place in line of a ticket just handed out, under the lock: the last, so the
    line's length (the counter, kept exact under the same lock)."""
    return event.waitlist_count


def _fits(event, places):
    return event.capacity is None or event.places_taken + places <= event.capacity


def _may_still_answer(event):
    """SQL on Rsvp: its person may answer event now (events.access.may_answer): an active
    member, or, where the event takes guests, a guest or a verified, active account."""
    member = sa.exists().where(
        Membership.group_id == event.group_id,
        Membership.user_id == Rsvp.user_id,
        Membership.status == MembershipStatus.ACTIVE,
    )
    if not takes_guests(event):
        return member
    without_membership = sa.exists().where(
        User.id == Rsvp.user_id,
        User.active.is_(True),
        sa.or_(User.is_guest.is_(True), User.email_verified_at.is_not(None)),
    )
    return sa.or_(member, without_membership)


def promote_who_fits(event):
    """Under the event's lock: promote in ticket order everyone who fits. Returns the
    promoted answers."""
    if not event.waitlist_count or event.places_left == 0:
        return []
    statement = (
        sa.select(Rsvp)
        .where(
            Rsvp.event_id == event.id,
            Rsvp.answer == Answer.WAITLISTED,
            _may_still_answer(event),
        )
        .order_by(Rsvp.waitlist_ticket)
        .execution_options(populate_existing=True)
    )
    if event.capacity is not None:
        # Whoever does not fit now never will in this pass: places only shrink from here.
        statement = statement.where(Rsvp.guests + 1 <= event.places_left)
    promoted = []
    for rsvp in db.session.scalars(statement):
        if not _fits(event, rsvp.places):
            continue
        move_answer(event, rsvp, Answer.GOING, rsvp.guests)
        promoted.append(rsvp)
        if event.places_left == 0:
            break
    db.session.flush()
    for rsvp in promoted:
        signals.rsvp_promoted.send(event, rsvp=rsvp)
    return promoted
