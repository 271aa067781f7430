"""Reads of the door: the people going, found by name or address, how many came, and
what the door knows of a person whose pass was scanned."""

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.events.checkin.models import CheckIn, WalkIn
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.queries import member_matches

SHOWN = 50


def door_list(event, search=""):
    """(user, checked in?) of the people going, by name, those matching search (their name
    or address); at most SHOWN: at a door one types until few are left."""
    checked_in = sa.exists().where(CheckIn.event_id == event.id, CheckIn.user_id == User.id)
    statement = (
        sa.select(User, checked_in.label("checked_in"))
        .join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.event_id == event.id, Rsvp.answer == Answer.GOING)
        .order_by(sa.func.lower(User.first_name), sa.func.lower(User.last_name), User.id)
        .limit(SHOWN)
    )
    if search.strip():
        # As the members page finds people: by name, or address, anywhere in it.
        statement = statement.where(member_matches(search.strip()))
    return db.session.execute(statement).all()


class DoorCounts(NamedTuple):
    checked_in: int
    going: int
    walk_ins: int


def door_counts(event):
    """How many of those going are checked in, how many go, and the walk-ins: one
    statement."""
    checked_in = (
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .join(Rsvp, sa.and_(Rsvp.event_id == CheckIn.event_id, Rsvp.user_id == CheckIn.user_id))
        .where(CheckIn.event_id == event.id, Rsvp.answer == Answer.GOING)
        .scalar_subquery()
    )
    going = (
        sa.select(sa.func.count())
        .where(Rsvp.event_id == event.id, Rsvp.answer == Answer.GOING)
        .scalar_subquery()
    )
    walk_ins = sa.select(sa.func.count()).where(WalkIn.event_id == event.id).scalar_subquery()
    return DoorCounts(*db.session.execute(sa.select(checked_in, going, walk_ins)).one())


def walk_ins_of(event):
    """The event's walk-ins, latest first (the one just added, to undo a slip)."""
    return db.session.scalars(
        sa.select(WalkIn).where(WalkIn.event_id == event.id).order_by(WalkIn.id.desc())
    ).all()


def check_in_times(event):
    """{user id: when they were checked in} at event."""
    rows = db.session.execute(
        sa.select(CheckIn.user_id, CheckIn.checked_in_at).where(CheckIn.event_id == event.id)
    )
    return dict(rows.all())


class Scanned(NamedTuple):
    """What the door knows of a person whose pass was scanned."""

    going: bool
    checked_in_at: datetime | None


def scanned_state(event, user_id):
    """Whether user_id goes to event, and when they were checked in (None: not yet)."""
    going = (
        sa.select(Rsvp.id)
        .where(Rsvp.event_id == event.id, Rsvp.user_id == user_id, Rsvp.answer == Answer.GOING)
        .exists()
    )
    checked_in_at = (
        sa.select(CheckIn.checked_in_at)
        .where(CheckIn.event_id == event.id, CheckIn.user_id == user_id)
        .scalar_subquery()
    )
    return Scanned(*db.session.execute(sa.select(going, checked_in_at)).one())
