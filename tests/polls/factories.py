"""Polls and votes for tests, made straight in the database (votes through the rules)."""

import itertools
from datetime import timedelta

import sqlalchemy as sa

from tests.groups.factories import loaded
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.polls.changes import publish_results_version
from webapp.polls.models import Poll, PollChoice, PollKind, PollOption, ResultsShown
from webapp.polls.voting import cast_vote

_sequence = itertools.count(1)


def make_poll(
    group,
    labels=("Park", "Pub"),
    event=None,
    choice=PollChoice.SINGLE,
    results_shown=ResultsShown.AT_ONCE,
    slots=None,
    **fields,
):
    """A committed open poll of group (or of event) with options labels, or a date poll
    with slots [(starts_at, ends_at), ...] (aware); call inside an app context."""
    kind = PollKind.DATE if slots else PollKind.PLAIN
    poll = Poll(
        group_id=group.id,
        event_id=event.id if event else None,
        question=fields.pop("question", None) or f"Question {next(_sequence)}?",
        kind=kind,
        choice=PollChoice.MULTIPLE if slots else choice,
        results_shown=results_shown,
        **fields,
    )
    db.session.add(poll)
    db.session.flush()
    if slots:
        options = [
            PollOption(poll_id=poll.id, position=i, label=f"Slot {i + 1}", starts_at=s, ends_at=e)
            for i, (s, e) in enumerate(slots)
        ]
    else:
        options = [PollOption(poll_id=poll.id, position=i, label=t) for i, t in enumerate(labels)]
    db.session.add_all(options)
    # As create_poll does: its results' live part knows its version from the start.
    publish_results_version(poll)
    db.session.commit()
    loaded(poll, *options)
    return poll


def option_ids(poll):
    """The poll's option ids in order."""
    statement = sa.select(PollOption.id).where(PollOption.poll_id == poll.id)
    return list(db.session.scalars(statement.order_by(PollOption.position, PollOption.id)))


def vote(user, poll, *chosen, slot_answers=None):
    """user votes for chosen option ids (or answers slots), committed, as the rules do it."""
    poll = db.session.merge(poll)
    cast_vote(user, poll, chosen, slot_answers)
    db.session.commit()


def slots_from_now(count, days=10):
    """count two-hour slots on successive days, starting days from now (aware, UTC)."""
    start = (utcnow() + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return [(start + timedelta(days=i), start + timedelta(days=i, hours=2)) for i in range(count)]
