"""When a poll's result is mailed: one RQ job per poll, `poll-closed-<id>` (RQ allows no
':' in job ids), at the poll's closing time; at once when an organiser closes it by hand;
none once its slot became a date (that email carries the result), or once its event is
deleted (its polls go with it). A change of closing time plans the job again under the
same id, so it moves rather than doubles. Plans apply after the commit: a rolled-back
change schedules nothing. The job itself, and the sweep behind it, are
webapp/polls/result_mail.py.
"""

import sqlalchemy as sa

from webapp.events.signals import event_deleted
from webapp.extensions import db
from webapp.jobs import RUN_NOW, plan_job
from webapp.polls.models import Poll

SEND_RESULTS = "webapp.polls.result_mail.send_results"


def closing_job_id(poll_id):
    return f"poll-closed-{poll_id}"


def _plan(poll, at):
    plan_job(closing_job_id(poll.id), SEND_RESULTS, poll.id, at=at)


def plan_closing(poll):
    """(Re)schedule the result email for the poll's closing time, or drop it (no time)."""
    _plan(poll, poll.closes_at)


def mail_results_now(poll):
    """Closed by hand: the result email goes as soon as the change commits."""
    _plan(poll, RUN_NOW)


def drop_closing(poll):
    """No result email from the job: the poll is gone, or its result went out otherwise."""
    _plan(poll, None)


@event_deleted.connect
def drop_closings_of_polls_on(event, **extra):
    """A deleted event takes its polls along: their jobs go too (the job would find the
    poll hidden and mail nobody, but need not wait in Redis until then)."""
    waiting = db.session.scalars(
        sa.select(Poll.id).where(Poll.event_id == event.id, Poll.results_mailed_at.is_(None))
    )
    for poll_id in waiting:
        plan_job(closing_job_id(poll_id), SEND_RESULTS, poll_id, at=None)
