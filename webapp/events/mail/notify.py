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
def tell_of_cancellation(event, **extra):
    drop_reminder(event)
    bump_sequence(event)
    drop_change_notices(event)
    if event.has_ended():
        return
    sequence = sequence_of(event)
    for user, row in recipients(event, NOTICE_ANSWERS, EventMailKind.CANCELLATIONS):
        # TRANSLATORS: the subject of the email saying an event was cancelled.
        subject = _l("Cancelled: %(title)s", title=event.title)
        message = send_event_mail(
            user, event, EventMailKind.CANCELLATIONS, "cancelled", subject, row
        )
        # So that a calendar holding the event removes it.
        message.attachments = calendar_attachments(event, user, sequence)


@signals.event_deleted.connect
def forget_reminder(event, **extra):
    drop_reminder(event)
