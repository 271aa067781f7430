"""Tasks, answers and feedback for tests, made straight in the database."""

import itertools
from datetime import timedelta
from typing import NamedTuple

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, loaded, make_group
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.feedback.models import Feedback
from webapp.tasks.models import Task, TaskSettings

_sequence = itertools.count(1)


def make_task(event, title=None, assignee=None, done=False, **fields):
    """A committed task of event, open unless given an assignee; call in an app context."""
    task = Task(
        event_id=event.id,
        title=title or f"Task {next(_sequence)}",
        notes=fields.pop("notes", ""),
        assignee_id=assignee.id if assignee else None,
        **fields,
    )
    if done:
        from webapp.database.times import utcnow

        task.done_at = utcnow()
    db.session.add(task)
    db.session.commit()
    loaded(task)
    return task


def allow_members_to_add(event, allowed=True):
    db.session.merge(TaskSettings(event_id=event.id, members_add=allowed))
    db.session.commit()


def going(event, user, answer=Answer.GOING):
    """user's answer to event, written straight (an ended event takes no answers)."""
    db.session.add(Rsvp(event_id=event.id, user_id=user.id, answer=answer))
    db.session.commit()


def make_feedback(event, user, rating, comment=""):
    db.session.add(Feedback(event_id=event.id, user_id=user.id, rating=rating, comment=comment))
    db.session.commit()


def ended_event(group, ago=timedelta(days=1), **fields):
    """A published event of group that ended `ago` ago (it lasted two hours)."""
    return make_event(group, starts_in=-ago - timedelta(hours=2), **fields)


class Party(NamedTuple):
    """A group's people by email, and an event of it."""

    owner: str
    organiser: str
    members: list
    member_ids: list
    outsider: str
    event_id: int
    slug: str


def make_party(members=2, visibility="public", ended=False, **event_fields):
    """An owner's group with an organiser, members and an outsider, and an event of it
    (one that ended yesterday when ended); call in an app context."""
    owner = make_user()
    group = make_group(owner, visibility=visibility)
    organiser = make_user()
    add_member(group, organiser, role="organiser")
    people = [add_member(group, make_user()).user for _ in range(members)]
    event = ended_event(group, **event_fields) if ended else make_event(group, **event_fields)
    return Party(
        owner.email,
        organiser.email,
        [p.email for p in people],
        [p.id for p in people],
        make_user().email,
        event.id,
        group.slug,
    )


def tasks_of(event_id):
    return db.session.scalars(
        sa.select(Task).where(Task.event_id == event_id).order_by(Task.id)
    ).all()


def feedback_rows(event_id):
    return db.session.scalars(
        sa.select(Feedback).where(Feedback.event_id == event_id).order_by(Feedback.id)
    ).all()
