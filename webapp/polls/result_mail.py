"""The result of a poll, mailed once to the members who voted, when it closes.

The job (`poll-closed-<id>`, planned by webapp/polls/closing.py) and the sweep both call
mail_results, which locks the poll's row and sends only while `results_mailed_at` is
empty, setting it in the same transaction as the outbox rows: a retried job, a second
copy or the sweep finds it set and sends nothing. A poll that closed by its time is
marked closed here. The sweep (each worker's maintenance pass, and the web process's
after-commit sweep without Redis) mails the polls whose job was lost or never ran.
"""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RowGone, lock_row
from webapp.events.models import Event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import job_context, sweep_due
from webapp.polls.mailing import mail_voters
from webapp.polls.models import Poll
from webapp.web.translating import lazy_gettext as _l


def _load(poll_id):
    return db.session.scalar(
        sa.select(Poll)
        .join(Group, Group.id == Poll.group_id)
        .outerjoin(Event, Event.id == Poll.event_id)
        .options(contains_eager(Poll.group), contains_eager(Poll.event))
        .where(Poll.id == poll_id)
    )


def _still_shown(poll):
    return poll.group.is_live and (poll.event is None or poll.event.is_live)


def mail_results(poll_id, now=None):
    """Email the voters of a closed poll its result, unless that was done; returns how
    many were emailed, or None when there was nothing to do. The caller commits."""
    now = now or utcnow()
    poll = _load(poll_id)
    if poll is None or not poll.is_closed(now):
        return None
    try:
        lock_row(poll, read_again=True)
    except RowGone:  # deleted meanwhile: nobody to mail
        return None
    if poll.results_mailed_at is not None:
        return None
    if poll.closed_at is None:
        poll.closed_at = poll.closes_at
    sent = 0
    if _still_shown(poll):
        sent = mail_voters(poll, "result", _l("Poll closed: %(question)s", question=poll.question))
    poll.results_mailed_at = now
    db.session.flush()
    return sent


def send_results(poll_id):
    """Job: the result email of one poll (nothing if it is still open or went out)."""
    with job_context():
        return mail_results(poll_id)


def _unmailed_closed_polls(now):
    return (
        sa.select(Poll.id)
        .where(
            Poll.results_mailed_at.is_(None),
            sa.or_(Poll.closed_at.is_not(None), Poll.closes_at <= now),
        )
        .order_by(Poll.closes_at, Poll.id)
    )


def sweep_closed_polls(now=None):
    """Mail every closed poll's result that was not mailed (a lost job, Redis down); one
    transaction per poll."""
    return sweep_due("poll result", _unmailed_closed_polls, mail_results, now)
