"""Reads about people's answers: one's own with a place in line, the attendee list, the export."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from webapp.accounts.models import User
from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.setup import prepared
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.web.listing import Listing

forget_when_written("answers", Rsvp)
# The list's sections, in the order shown and exported.
LISTED = (Answer.GOING, Answer.WAITLISTED, Answer.MAYBE)


def _place_in_line():
    """The place in line of the Rsvp row in the query (1 for the first), while waitlisted."""
    ahead = aliased(Rsvp)
    place = (
        sa.select(sa.func.count())
        .select_from(ahead)
        .where(
            ahead.event_id == Rsvp.event_id,
            ahead.answer == Answer.WAITLISTED,
            ahead.waitlist_ticket <= Rsvp.waitlist_ticket,
        )
        .correlate(Rsvp)
        .scalar_subquery()
    )
    return sa.case((Rsvp.answer == Answer.WAITLISTED, place))


# Built once: making the alias and the subquery anew cost more than running the query,
# on every view of an event and of its RSVP panel.
_ANSWER_AND_PLACE = prepared(
    sa.select(Rsvp, _place_in_line()).where(
        Rsvp.event_id == sa.bindparam("event_id"), Rsvp.user_id == sa.bindparam("user_id")
    )
)


def answer_and_place(user, event):
    """user's answer to event and, while waitlisted, their place in line: (Rsvp, 3) or
    (Rsvp, None) or (None, None). One query, or none when the event was read with it."""
    known = prefetched("answers").get((user.id, event.id))
    if known is not None:
        return known
    row = db.session.execute(_ANSWER_AND_PLACE, {"event_id": event.id, "user_id": user.id}).first()
    return (row[0], row[1]) if row else (None, None)


class AnswerPrefetch:
    """For webapp.groups.access.ReadWithMembership: the viewer's answer to the event, with
    their place in line, read by the event's own query and remembered as memberships are
    (webapp.database.prefetch)."""

    @staticmethod
    def add(statement):
        mine = sa.and_(Rsvp.event_id == Event.id, Rsvp.user_id == sa.bindparam("viewer_id"))
        return statement.add_columns(Rsvp, _place_in_line()).outerjoin(Rsvp, mine)

    @staticmethod
    def remember(user, event, rsvp, place):
        prefetched("answers")[(user.id, event.id)] = (rsvp, place)


def _listed(statement, event_id):
    """statement (of Rsvp joined to its User) narrowed to the event's list and in its
    order: going, then the waitlist in line, then maybe; by name within a section."""
    section = sa.case({answer: index for index, answer in enumerate(LISTED)}, value=Rsvp.answer)
    return (
        statement.join(User, User.id == Rsvp.user_id)
        .where(Rsvp.event_id == event_id, Rsvp.answer.in_(LISTED))
        .order_by(
            section,
            Rsvp.waitlist_ticket,
            sa.func.lower(User.first_name),
            sa.func.lower(User.last_name),
            Rsvp.id,
        )
    )


def attendees_of(event):
    """Who is going (by name), waiting (in line) and maybe (by name), with their users."""
    return _listed(sa.select(Rsvp), event.id).options(contains_eager(Rsvp.user))


@functools.cache
def attendee_lines():
    """The attendee list's lines, a page at a time: attendees_of's, as plain rows (id,
    user_id, answer, guests, first_name, last_name, is_guest); value: event_id. Built
    once, and read without making an answer and a user object for each of a hundred
    lines."""
    columns = sa.select(
        Rsvp.id,
        Rsvp.user_id,
        Rsvp.answer,
        Rsvp.guests,
        User.first_name,
        User.last_name,
        User.is_guest,
    ).select_from(Rsvp)
    return Listing(_listed(columns, sa.bindparam("event_id")), whole_rows=True)


def attendee_of(event, rsvp_id):
    """One answer to event on the list (not "not going"), with its user, or None."""
    return db.session.scalar(attendees_of(event).where(Rsvp.id == rsvp_id).order_by(None))
