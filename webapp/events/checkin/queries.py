"""Reads of the door: the people going, found by name or address, and how many came."""

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.events.checkin.models import CheckIn
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


def door_counts(event):
    """(checked in, going) at event: one statement."""
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
    return tuple(db.session.execute(sa.select(checked_in, going)).one())


def check_in_times(event):
    """{user id: when they were checked in} at event."""
    rows = db.session.execute(
        sa.select(CheckIn.user_id, CheckIn.checked_in_at).where(CheckIn.event_id == event.id)
    )
    return dict(rows.all())
