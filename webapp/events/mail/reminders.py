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

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.events.mail.models import EventMailKind, EventMailState
from webapp.events.mail.sending import recipients, send_event_mail, start_for
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import job_context, plan_job, sweep_due
from webapp.web.translating import lazy_gettext as _l

REMINDER_LEAD = timedelta(hours=24)
# A job may start a little early by the clock of the machine that runs it.
EARLY_BY = timedelta(minutes=2)


def reminder_job_id(event_id):
    return f"reminder-event-{event_id}"


def reminder_due_at(event):
    return event.starts_at - REMINDER_LEAD


def plan_reminder(event):
    """After this transaction commits, (re)schedule event's reminder for its start."""
    plan_job(
        reminder_job_id(event.id),
        "webapp.events.mail.reminders.send_reminder",
        event.id,
        at=reminder_due_at(event),
    )


def drop_reminder(event):
    """After this transaction commits, remove event's scheduled reminder."""
    plan_job(
        reminder_job_id(event.id), "webapp.events.mail.reminders.send_reminder", event.id, at=None
    )


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
            # TRANSLATORS: an email's subject; start is the day and time, "Saturday 7 March, 19:00".
            _l("Reminder: %(title)s, %(start)s", title=event.title, start=start_for(event, user)),
            rsvp=rsvp,
        )
    state.reminded_at = now
    db.session.flush()
    return len(going)


def send_reminder(event_id):
    """Job: the reminder of one event (does nothing if it is not due or went out already)."""
    with job_context():
        return remind_attendees(event_id)


def _due_reminders(now):
    return (
        sa.select(Event.id)
        .join(Group, Group.id == Event.group_id)
        .outerjoin(EventMailState, EventMailState.event_id == Event.id)
        .where(
            Event.deleted_at.is_(None),
            Group.listed(),
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + REMINDER_LEAD + EARLY_BY,
            EventMailState.reminded_at.is_(None),
        )
        .order_by(Event.starts_at)
    )


def sweep_due_reminders(now=None):
    """Send every reminder that is due and was not sent (a lost or late job); one
    transaction per event. Runs in each worker's maintenance pass and, without Redis,
    in the web process's after-commit sweep."""
    return sweep_due("reminder", _due_reminders, remind_attendees, now)
