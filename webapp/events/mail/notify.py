"""Event mail and calendars react to what happens to events and answers: receivers of
webapp.events.signals, connected when this module is imported (calendar_views does).

They run inside the transaction of the change (rsvp_answered just before its flush, the
others after it): the outbox rows and the calendar version they write commit or roll back
with it, and the reminder is scheduled only after the commit. Which answers get mail:
- a confirmation for "going" and for joining the waitlist (a place, or a place in line,
  is worth a record); not for "maybe" or "not going", nor when the answer stays the same;
- a promotion from the waitlist, always (unless turned off);
- a change of time or place, and a cancellation, to everyone going or waiting, each with
  the event's calendar entry; change notices are coalesced (change_notices.py);
- the reminder (webapp.events.mail.reminders) to everyone going.
"""

from webapp.events import signals
from webapp.events.calendar.feeds import bump_sequence, sequence_of
from webapp.events.calendar.ics import event_page_url
from webapp.events.mail.change_notices import (
    NOTICE_ANSWERS,
    calendar_attachments,
    drop_change_notices,
    plan_change_notice,
    tells_of_changes,
)
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.reminders import drop_reminder, plan_reminder
from webapp.events.mail.sending import (
    event_times,
    links_context,
    recipients,
    send_event_mail,
    send_event_mail_rendered_when_sent,
    wants_event_mail_of,
)
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.waitlist import place_of_new_ticket
from webapp.web.translating import lazy_gettext as _l

TIME_FIELDS = frozenset({"starts_at", "ends_at", "time_zone"})
PLACE_FIELDS = frozenset({"venue", "address", "online_url"})


def _as_answer(value):
    value = getattr(value, "answer", value)  # an answer, or a copy of the row before
    return Answer(value) if value else None


@signals.rsvp_answered.connect
def confirm_answer(event, rsvp, previous=None, confirm=True, **extra):
    answer = _as_answer(rsvp.answer)
    if not confirm or answer not in NOTICE_ANSWERS or _as_answer(previous) == answer:
        return
    # They answered this moment, so they see the event; whether they take this mail is
    # theirs alone (the row is in the session already: rsvp.user asks nothing).
    user = rsvp.user
    if not wants_event_mail_of(user, EventMailKind.CONFIRMATION):
        return
    if answer == Answer.GOING:
        subject = _l("You're going to %(title)s", title=event.title)
        template, context = "going", {}
    else:
        subject = _l("You're on the waitlist for %(title)s", title=event.title)
        template = "waitlisted"
        context = {"place": place_of_new_ticket(event)}
    # The answer holds the event's lock until it commits: its row is written now, its
    # bodies by the worker that sends it.
    send_event_mail_rendered_when_sent(
        user, event, EventMailKind.CONFIRMATION, template, subject, rsvp, **context
    )


@signals.rsvp_promoted.connect
def tell_promoted(event, rsvp, **extra):
    for user, row in recipients(event, (Answer.GOING,), EventMailKind.PROMOTION, rsvp.user_id):
        subject = _l("A place opened up: you're going to %(title)s", title=event.title)
        # Under the event's lock, as the confirmation: written now, rendered when sent.
        send_event_mail_rendered_when_sent(
            user, event, EventMailKind.PROMOTION, "promoted", subject, row
        )


@signals.event_published.connect
def schedule_reminder(event, **extra):
    plan_reminder(event)


def change_notice_recipients(event, changes):
    """(user, rsvp) whom a change of the fields in changes to event is mailed to."""
    if not set(changes) & (TIME_FIELDS | PLACE_FIELDS) or not tells_of_changes(event):
        return []
    return recipients(event, NOTICE_ANSWERS, EventMailKind.CHANGES)


@signals.event_changed.connect
def tell_of_change(event, changes=(), **extra):
    changes = set(changes)
    time_changed, place_changed = bool(changes & TIME_FIELDS), bool(changes & PLACE_FIELDS)
    if not (time_changed or place_changed):
        return
    bump_sequence(event)
    if not tells_of_changes(event):
        return
    if time_changed:
        plan_reminder(event)
    for user, _rsvp in change_notice_recipients(event, changes):
        plan_change_notice(user, event, time_changed, place_changed)


@signals.event_cancelled.connect
def tell_of_cancellation(event, with_series=False, **extra):
    drop_reminder(event)
    bump_sequence(event)
    drop_change_notices(event)
    if event.has_ended() or with_series:
        return
    sequences = {event.id: sequence_of(event)}
    for user, row in recipients(event, NOTICE_ANSWERS, EventMailKind.CANCELLATIONS):
        _send_cancellation(user, [(event, row)], sequences)


@signals.series_ended.connect
def tell_of_series_end(first_date, dates, **extra):
    """One email per person going or waiting to any of the dates a series' end cancelled,
    naming each of theirs, with each one's cancellation for their calendar."""
    theirs, sequences = {}, {date.id: sequence_of(date) for date in dates}
    for date in dates:
        for user, row in recipients(date, NOTICE_ANSWERS, EventMailKind.CANCELLATIONS):
            theirs.setdefault(user, []).append((date, row))
    for user, cancelled in theirs.items():
        _send_cancellation(user, cancelled, sequences)


def _send_cancellation(user, cancelled, sequences):
    """The cancellation of the first of cancelled's (event, rsvp) to user, naming the
    later ones (the dates of a series that ended) too; sequences: each event's calendar
    SEQUENCE by id."""
    (event, row), later = cancelled[0], cancelled[1:]
    # TRANSLATORS: the subject of the email saying an event was cancelled.
    subject = _l("Cancelled: %(title)s", title=event.title)
    with links_context():
        later_dates = [
            {"when": event_times(date, user), "url": event_page_url(date)} for date, _row in later
        ]
    message = send_event_mail(
        user,
        event,
        EventMailKind.CANCELLATIONS,
        "cancelled",
        subject,
        row,
        later_dates=later_dates,
    )
    # So that a calendar holding the events removes them.
    message.attachments = [
        attachment
        for date, _row in cancelled
        for attachment in calendar_attachments(date, user, sequences[date.id])
    ]


@signals.event_deleted.connect
def forget_reminder(event, **extra):
    drop_reminder(event)
