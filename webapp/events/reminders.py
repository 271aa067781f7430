"""The reminder a day before an event, to everyone going: scheduled, moved, sent once.

Publishing or moving an event schedules one RQ job, `reminder-event-<id>` (RQ 3 allows
only letters, digits, _ and - in job ids), at 24 hours before the start; a new time
replaces the job with the same id, and cancelling or deleting the event removes it. The
schedule is applied after the commit, so a rolled-back change schedules nothing.

Sending is once per event, whatever runs it: the job, a retry of it, a second copy, or
the sweep (every worker's maintenance pass, and the web process's after-commit sweep when
there is no Redis) that sends what is due when a job was lost. Each run locks the
event's event_mail_states row and sends only if `reminded_at` is empty, setting it in the
same transaction as the outbox rows: once for each person, ever. Someone who says
"going" after the reminder went out has their confirmation email instead.
"""

import contextlib
import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy.orm import Session, contains_eager

from webapp import mail
from webapp.events.mail_models import EventMailKind, EventMailState, insert_or_ignore
from webapp.events.mailing import recipients, send_event_mail, start_for
from webapp.events.models import Answer, Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import RETRY_INTERVALS, app_context, get_queue
from webapp.redis_client import get_redis
from webapp.timeutil import utcnow

log = logging.getLogger("hearth.reminders")

REMINDER_LEAD = timedelta(hours=24)
# A job may start a little early by the clock of the machine that runs it.
EARLY_BY = timedelta(minutes=2)
SWEEP_BATCH = 100
_PLANS = "hearth_reminder_plans"


def reminder_job_id(event_id):
    return f"reminder-event-{event_id}"


def reminder_due_at(event):
    return event.starts_at - REMINDER_LEAD


def plan_reminder(event):
    """After this transaction commits, (re)schedule event's reminder for its start."""
    db.session.info.setdefault(_PLANS, {})[event.id] = reminder_due_at(event)


def drop_reminder(event):
    """After this transaction commits, remove event's scheduled reminder."""
    db.session.info.setdefault(_PLANS, {})[event.id] = None


@sa.event.listens_for(Session, "after_commit")
def _apply_plans(session):
    for event_id, due_at in session.info.pop(_PLANS, {}).items():
        try:
            cancel_reminder_job(event_id)
            if due_at is not None:
                schedule_reminder_job(event_id, due_at)
        except Exception:  # Redis away: the sweep sends the reminder when it is due
            log.warning("could not schedule the reminder of event %s", event_id, exc_info=True)


@sa.event.listens_for(Session, "after_rollback")
def _drop_plans(session):
    session.info.pop(_PLANS, None)


def schedule_reminder_job(event_id, due_at):
    """One scheduled job per event; without a worker (no Redis) the sweep does the work."""
    if not current_app.config["JOBS_ASYNC"]:
        return None
    return get_queue().enqueue_at(
        due_at,
        "webapp.events.reminders.send_reminder",
        event_id,
        job_id=reminder_job_id(event_id),
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        result_ttl=0,
        failure_ttl=30 * 24 * 3600,
    )


def cancel_reminder_job(event_id):
    with contextlib.suppress(NoSuchJobError):
        Job.fetch(reminder_job_id(event_id), connection=get_redis()).delete()


def _is_due(event, now):
    return (
        event is not None
        and event.is_live
        and event.group.is_live
        and event.status == EventStatus.PUBLISHED
        and reminder_due_at(event) - EARLY_BY <= now < event.starts_at
    )


def _locked_state(event_id):
    insert_or_ignore(EventMailState, event_id=event_id, sequence=0)
    # populate_existing: what the lock waited for (another run's reminded_at), not a copy
    # this session may hold from before.
    return db.session.scalar(
        sa.select(EventMailState)
        .where(EventMailState.event_id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def remind_attendees(event_id, now=None):
    """Email everyone going to event_id, if it is due and nobody did yet; returns how many
    were emailed, or None when there was nothing to do. The caller commits."""
    now = now or utcnow()
    event = db.session.scalar(
        sa.select(Event)
        .join(Group, Group.id == Event.group_id)
        .options(contains_eager(Event.group))
        .where(Event.id == event_id)
    )
    if not _is_due(event, now):
        return None
    state = _locked_state(event_id)
    if state.reminded_at is not None:
        return None
    going = recipients(event, (Answer.GOING,), EventMailKind.REMINDERS)
    for user, rsvp in going:
        send_event_mail(
            user,
            event,
            EventMailKind.REMINDERS,
            "reminder",
            f"Reminder: {event.title}, {start_for(event, user)}",
            rsvp=rsvp,
        )
    state.reminded_at = now
    db.session.flush()
    return len(going)


@contextlib.contextmanager
def _job_context():
    # A session of its own, and a POST-like request so that it runs in a transaction
    # (GETs read in autocommit) and url_for builds links on the public address.
    with app_context() as app, app.test_request_context(base_url=mail.base_url(), method="POST"):
        yield
        db.session.commit()


def send_reminder(event_id):
    """Job: the reminder of one event (does nothing if it is not due or went out already)."""
    with _job_context():
        return remind_attendees(event_id)


def sweep_due_reminders(now=None):
    """Send every reminder that is due and was not sent (a lost or late job); one
    transaction per event. Runs in each worker's maintenance pass and, without Redis,
    in the web process's after-commit sweep."""
    with _job_context():
        now = now or utcnow()
        due = db.session.scalars(
            sa.select(Event.id)
            .join(Group, Group.id == Event.group_id)
            .outerjoin(EventMailState, EventMailState.event_id == Event.id)
            .where(
                Event.deleted_at.is_(None),
                Group.deleted_at.is_(None),
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > now,
                Event.starts_at <= now + REMINDER_LEAD + EARLY_BY,
                EventMailState.reminded_at.is_(None),
            )
            .order_by(Event.starts_at)
            .limit(SWEEP_BATCH)
        ).all()
        db.session.commit()
        sent = 0
        for event_id in due:
            sent += remind_attendees(event_id, now) or 0
            db.session.commit()
    if due:
        log.info("reminder sweep: %d event(s), %d email(s)", len(due), sent)
    return sent
