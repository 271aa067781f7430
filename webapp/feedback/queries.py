"""Reads for the feedback page: one's own feedback, whether one was going, and the
event's ratings (counts per star, and the comments for its organisers)."""

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.events.checkin.models import CheckIn
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.feedback.models import RATINGS, Feedback


class Summary(NamedTuple):
    """How many answered, their average, and how many gave each rating (5 down to 1)."""

    total: int
    average: float | None
    counts: dict

    @property
    def rows(self):
        """(stars, count, percent) from 5 stars down."""
        return [
            (
                stars,
                self.counts[stars],
                round(100 * self.counts[stars] / self.total) if self.total else 0,
            )
            for stars in reversed(RATINGS)
        ]


def feedback_of(user, event):
    """user's feedback on event, read afresh, or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Feedback)
        .where(Feedback.event_id == event.id, Feedback.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def was_there(user, event):
    """user went to event: their answer is going (someone an organiser removed is not), and
    they were checked in at the door, when anyone was (an event without check-in counts
    everyone going)."""
    if not user.is_authenticated:
        return False
    checked_in = sa.exists().where(CheckIn.event_id == event.id, CheckIn.user_id == user.id)
    door_unused = ~sa.exists().where(CheckIn.event_id == event.id)
    return (
        db.session.scalar(
            sa.select(sa.literal(True)).where(
                Rsvp.event_id == event.id,
                Rsvp.user_id == user.id,
                Rsvp.answer == Answer.GOING,
                sa.or_(checked_in, door_unused),
            )
        )
        is not None
    )


def summary_of(event):
    """The event's ratings counted per star (one query)."""
    counts = dict.fromkeys(RATINGS, 0)
    rows = db.session.execute(
        sa.select(Feedback.rating, sa.func.count())
        .where(Feedback.event_id == event.id)
        .group_by(Feedback.rating)
    )
    for rating, count in rows:
        counts[rating] = count
    total = sum(counts.values())
    average = sum(stars * count for stars, count in counts.items()) / total if total else None
    return Summary(total, average, counts)


def comments_of(event):
    """Every feedback on event with who wrote it (None: a former member), newest first
    (one query)."""
    return db.session.scalars(
        sa.select(Feedback)
        .outerjoin(User, User.id == Feedback.user_id)
        .options(contains_eager(Feedback.user))
        .where(Feedback.event_id == event.id)
        .order_by(Feedback.updated_at.desc(), Feedback.id.desc())
    ).all()
