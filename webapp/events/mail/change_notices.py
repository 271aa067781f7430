"""Notices of a changed time or place, coalesced, and the calendar entry that the email of a
changed or cancelled event carries.

One organiser editing an event again and again must not mail each person going once per
save. A change writes a person's notice as an outbox row that waits for the window
(EVENT_CHANGE_NOTICE_WINDOW) and is rendered when sent, with the event as it is then; a
change within the window finds that row waiting (its coalesce key is the event's and the
person's) and only adds what changed to it. A person gets at most
EVENT_CHANGE_NOTICES_PER_DAY notices of one event in any 24 hours: past that, the row
waits until the oldest of those is a day old, still gathering changes. A cancellation
discards the notices still waiting: it says all there is to say. Edits and cancellations
hold the event's lock, so two of them never write two rows for one person (and a unique
index keeps one waiting row per key whatever happens).

The dates of a series changed together ("this and following": those not detached) share
one notice per person, keyed by the series: an edit reaching ten dates is one email that
names each of the person's dates, with each date's calendar entry, not ten emails.
"""

from datetime import timedelta
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.database.times import utcnow
from webapp.events.calendar.feeds import sequence_of
from webapp.events.calendar.ics import event_page_url, mailed_calendar
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.sending import (
    _event_mail_context,
    event_times,
    links_context,
    recipients,
)
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.outbox import mail
from webapp.outbox.coalescing import discard_waiting, send_times, waiting_message
from webapp.outbox.rendering import Rendered, renders_when_sent
from webapp.outbox.services import add_message
from webapp.web.languages import in_language, language_of
from webapp.web.translating import lazy_gettext as _l

CHANGE_NOTICE = "events/changed"
NOTICE_ANSWERS = (Answer.GOING, Answer.WAITLISTED)
DAY = timedelta(days=1)


def tells_of_changes(event):
    return event.status == EventStatus.PUBLISHED and event.is_live and not event.has_ended()


def calendar_attachments(event, user, sequence=None):
    """The event's calendar entry as an attachment for user: its cancellation, or its new
    version, with the UID of its .ics download and feed and its current SEQUENCE, and the
    words it adds to the event's own in user's language."""
    sequence = sequence_of(event) if sequence is None else sequence
    organizer = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    with links_context(), in_language(language_of(user)):
        method, text = mailed_calendar(event, sequence, organizer, user.email)
    return [
        {
            "filename": f"{event.slug or 'event'}.ics",
            "content_type": "text/calendar",
            "params": {"method": method},
            "content": text,
        }
    ]


def _key(event, user_id):
    if event.series_id is not None and not event.series_detached:
        return f"series-changes:{event.series_id}:user:{user_id}"
    return f"{_key_prefix(event.id)}user:{user_id}"


def _key_prefix(event_id):
    return f"event-changes:{event_id}:"


def _subject(event, args):
    """The subject as its recipient reads it: in their language, with what changed so far."""
    title = event.title
    if args["time_changed"] and args["place_changed"]:
        subject = _l("New time and place for %(title)s", title=title)
    elif args["time_changed"]:
        subject = _l("New time for %(title)s", title=title)
    else:
        subject = _l("New place for %(title)s", title=title)
    return mail.in_recipients_language(subject, args.get("language"))


def _send_at(key, now):
    """The end of the window, or later when the day's notices of key are used up."""
    config = current_app.config
    window_end = now + timedelta(seconds=config["EVENT_CHANGE_NOTICE_WINDOW"])
    per_day = config["EVENT_CHANGE_NOTICES_PER_DAY"]
    went = send_times(key, now - DAY)
    if len(went) < per_day:
        return window_end
    # The next may go once the per_day-th newest is a day old.
    return max(window_end, went[per_day - 1] + DAY)


def plan_change_notice(user, event, time_changed, place_changed, now=None):
    """user's notice that event's time or place changed: the one waiting, told of this
    change too, or a new one that waits for its window. Called under the event's lock."""
    key = _key(event, user.id)
    waiting = waiting_message(key)
    if waiting is not None:
        args = dict(waiting.render_args)
        args["time_changed"] = args["time_changed"] or time_changed
        args["place_changed"] = args["place_changed"] or place_changed
        events = args.get("events") or [args["event"]]
        if event.id not in events:
            args["events"] = [*events, event.id]
        waiting.render_args = args
        waiting.subject = _subject(event, args)[:255]
        return waiting
    args = {
        "user": user.id,
        "event": event.id,
        "events": [event.id],
        "time_changed": time_changed,
        "place_changed": place_changed,
        # The recipient's, for the worker's rendering (webapp.outbox.rendering).
        "language": language_of(user),
    }
    with links_context():
        unsubscribe = unsubscribe_url(user, EventMailKind.CHANGES.value)
    return add_message(
        CHANGE_NOTICE,
        user.email,
        _subject(event, args),
        "",
        render_args=args,
        list_unsubscribe=unsubscribe,
        coalesce_key=key,
        not_before=_send_at(key, now or utcnow()),
    )


def drop_change_notices(event):
    """The notices of event's changes still waiting: discarded (it was cancelled)."""
    return discard_waiting(
        _key_prefix(event.id), "The event was cancelled: its cancellation says so."
    )


def _still_told(user, event_ids):
    """(event, rsvp) of the events, earliest first, that still tell of changes and that
    user still goes or waits for and takes notices of."""
    told = []
    for event in db.session.scalars(sa.select(Event).where(Event.id.in_(event_ids))):
        if not tells_of_changes(event):
            continue
        found = recipients(event, NOTICE_ANSWERS, EventMailKind.CHANGES, user.id)
        if found:
            told.append((event, found[0][1]))
    return sorted(told, key=lambda pair: (pair[0].starts_at, pair[0].id))


@renders_when_sent(CHANGE_NOTICE)
def render_change_notice(kind, args):
    """The notice as its events are now (one, or the dates of a series changed together),
    to its person for those they still go or wait for and still want it of; None
    (nothing to send) when there are none."""
    user = db.session.get(User, args["user"])
    if user is None:
        return None
    told = _still_told(user, args.get("events") or [args["event"]])
    if not told:
        return None
    (event, rsvp), later = told[0], told[1:]
    context = {
        "time_changed": args["time_changed"],
        "place_changed": args["place_changed"],
    }
    with links_context():
        context["later_dates"] = [
            {"when": event_times(date, user), "url": event_page_url(date)} for date, _rsvp in later
        ]
        text, html = mail.render_bodies(
            "events/changed",
            **_event_mail_context(user, event, EventMailKind.CHANGES, rsvp, context),
        )
    attachments = [
        attachment for date, _rsvp in told for attachment in calendar_attachments(date, user)
    ]
    return Rendered(text, html, _subject(event, args), attachments)
