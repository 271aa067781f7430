"""Event email: who receives it, its times in their zone and the event's, and sending it
through the outbox (a row in the current transaction, delivered after commit; an answer's
confirmation is rendered by the worker that delivers it)."""

import contextlib
import functools
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import current_app, has_request_context

from webapp.accounts.models import User
from webapp.accounts.tokens import unsubscribe_url
from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.setup import prepared
from webapp.events.calendar.ics import event_page_url, event_zone
from webapp.events.checkin.passes import qr_png, scan_url
from webapp.events.guest_answers.links import answer_url
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.mail.settings import wants_event_mail
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db
from webapp.groups.models import Membership, MembershipStatus
from webapp.outbox import mail
from webapp.outbox.rendering import Rendered, renders_when_sent
from webapp.outbox.services import add_message
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import lazy_gettext as _l

# How each kind is named where an email says how to turn it off.
KIND_NAMES = {
    # TRANSLATORS: kinds of email, read in "You can turn off %(kind)s in your settings"
    # and "Hearth will no longer email you %(name)s".
    EventMailKind.CONFIRMATION: _l("confirmations of your answers"),
    EventMailKind.PROMOTION: _l("waitlist promotions"),
    EventMailKind.CHANGES: _l("notices of changed times and places"),
    EventMailKind.CANCELLATIONS: _l("cancellation notices"),
    EventMailKind.REMINDERS: _l("reminders"),
    EventMailKind.POLL_RESULTS: _l("poll results"),
    EventMailKind.TASK_ASSIGNED: _l("task assignments"),
    EventMailKind.DATA_EXPORT: _l("notices that your data download is ready"),
}
# Why someone gets a notice about an event, by their answer: the sentence the email's
# footer starts with.
BECAUSE_OF_ANSWER = {
    Answer.GOING: _l("You get this email because you said you're going to this event."),
    Answer.WAITLISTED: _l("You get this email because you're on the waitlist for this event."),
}


class When(NamedTuple):
    """An event's time as the event's zone has it, and as the reader's (None if the same)."""

    event_local: str
    event_zone: str
    reader_local: str | None
    reader_zone: str


def _day(moment):
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def span_text(starts_at, ends_at, zone):
    """ "Saturday 7 March 2026, 19:00-22:00 EST", or both days when it ends on another."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{_day(start)}, {start:%H:%M}\N{EN DASH}{end:%H:%M} {end:%Z}"
    return f"{_day(start)}, {start:%H:%M} {start:%Z} \N{EN DASH} {_day(end)}, {end:%H:%M} {end:%Z}"


def _zone_of(user):
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def event_times(event, reader):
    zone, reader_zone = event_zone(event), _zone_of(reader)
    event_local = span_text(event.starts_at, event.ends_at, zone)
    reader_local = span_text(event.starts_at, event.ends_at, reader_zone)
    return When(
        event_local,
        zone.key,
        None if reader_local == event_local else reader_local,
        reader_zone.key,
    )


def start_for(event, reader):
    """The start in the reader's zone, short, for a subject line: "Saturday 7 March, 19:00"."""
    start = event.starts_at.astimezone(_zone_of(reader))
    return f"{start:%A} {start.day} {start:%B}, {start:%H:%M}"


def recipients(event, answers, kind, user_id=None):
    """(user, rsvp) of those whose answer to event is in answers and who want kind of mail,
    and who may still see the event (one query)."""
    statement = (
        sa.select(User, Rsvp)
        .join(Rsvp, Rsvp.user_id == User.id)
        .where(Rsvp.event_id == event.id, Rsvp.answer.in_(answers), wants_event_mail(kind))
        .order_by(Rsvp.id)
    )
    if user_id is not None:
        statement = statement.where(User.id == user_id)
    return db.session.execute(statement.where(still_sees(event.group))).all()


def wants_event_mail_of(user, kind):
    """Whether user takes kind of event email (wants_event_mail), asked of their row alone,
    or as read along with what they act on (ConfirmationMailPrefetch)."""
    known = prefetched("event mail").get((user.id, kind))
    if known is not None:
        return known
    # Asked while an answer is being made (rsvp_answered comes before its flush): the
    # answer's rows are not what this reads, and are flushed together after it.
    with db.session.no_autoflush:
        return bool(db.session.scalar(_wants_mail_statement(kind), {"user_id": user.id}))


forget_when_written("event mail", User, EventMailOptOut)


class ConfirmationMailPrefetch:
    """For webapp.groups.access.ReadWithMembership: whether the viewer takes confirmations
    of their answers, read by the query of the event they answer, so that confirming asks
    nothing more while the answer holds the event's lock."""

    @staticmethod
    def add(statement):
        kind = EventMailKind.CONFIRMATION
        wants = sa.select(wants_event_mail(kind)).where(User.id == sa.bindparam("viewer_id"))
        return statement.add_columns(wants.scalar_subquery())

    @staticmethod
    def remember(user, event, wants):
        prefetched("event mail")[(user.id, EventMailKind.CONFIRMATION)] = bool(wants)


@functools.cache
def _wants_mail_statement(kind):
    return prepared(sa.select(wants_event_mail(kind)).where(User.id == sa.bindparam("user_id")))


def still_sees(group):
    """SQL on User: may still see group's things. Someone who left a private group hears
    nothing more of its events (or polls)."""
    if group.is_public:
        return sa.true()
    return sa.or_(
        User.is_site_admin.is_(True),
        sa.exists().where(
            Membership.group_id == group.id,
            Membership.user_id == User.id,
            Membership.status == MembershipStatus.ACTIVE,
        ),
    )


@contextlib.contextmanager
def links_context():
    """url_for needs a request: outside one (a job, a test), a stand-in on the public address."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=public_url.base_url(), method="POST"):
        yield


def send_event_mail(user, event, kind, template, subject, rsvp=None, **context):
    """One email about event to user, saying why they get it and how to turn kind off."""
    with links_context():
        return mail.send_template(
            user.email,
            subject,
            f"events/{template}",
            language=language_of(user),
            **_event_mail_context(user, event, kind, rsvp, context),
        )


def _event_mail_context(user, event, kind, rsvp, context):
    return {
        "user": user,
        "event": event,
        "group": event.group,
        "rsvp": rsvp,
        "when": event_times(event, user),
        "event_url": event_page_url(event),
        "ics_url": public_url.absolute_url("events.calendar.event_ics", event_id=event.id),
        "settings_url": public_url.absolute_url("accounts.settings", _anchor="event-mail"),
        "kind_name": KIND_NAMES[kind],
        "unsubscribe_url": unsubscribe_url(user, kind.value),
        "because": BECAUSE_OF_ANSWER.get(rsvp.answer) if rsvp is not None else None,
        # A guest has no login: the link to their answer is how they change it.
        "answer_url": answer_url(event.id, user.id) if user.is_guest else None,
        **context,
    }


class AnswerAsWritten(NamedTuple):
    """The answer a message rendered when sent tells of, as it was when it was written."""

    answer: Answer
    guests: int


# Those sent while a change holds its event's lock: an answer's confirmation, and the
# promotion of whoever a freed place goes to (an organiser who adds 50 places promotes 50).
RENDERED_WHEN_SENT = ("going", "waitlisted", "promoted")
# Those telling someone they're going carry the door pass (templates/email/events/_door_pass),
# its QR code shown by the HTML as cid:door-qr.
CARRIES_DOOR_PASS = ("events/going", "events/promoted")
QR_IMAGE_ID = "door-qr"


def send_event_mail_rendered_when_sent(user, event, kind, template, subject, rsvp, **context):
    """As send_event_mail, but its bodies are rendered by the worker that sends it: the row
    keeps ids and plain values (context too) and the recipient's language, and the event
    and the user as they are then fill in the rest."""
    if template not in RENDERED_WHEN_SENT:
        raise ValueError(f"events/{template} is rendered when it is written")
    language = language_of(user)
    render_args = {
        "user": user.id,
        "event": event.id,
        "kind": kind.value,
        "answer": Answer(rsvp.answer).value,
        "guests": rsvp.guests,
        "context": context,
        # The recipient's, for the worker's rendering (webapp.outbox.rendering).
        "language": language,
    }
    with links_context():
        unsubscribe = unsubscribe_url(user, kind.value)
    return add_message(
        f"events/{template}",
        user.email,
        mail.in_recipients_language(subject, language),
        "",
        render_args=render_args,
        list_unsubscribe=unsubscribe,
    )


@renders_when_sent(*(f"events/{template}" for template in RENDERED_WHEN_SENT))
def render_event_mail(template, render_args):
    """The bodies of send_event_mail_rendered_when_sent's message; None if its user or
    event is gone."""
    user = db.session.get(User, render_args["user"])
    event = db.session.get(Event, render_args["event"])
    if user is None or event is None:
        return None
    rsvp = AnswerAsWritten(Answer(render_args["answer"]), render_args["guests"])
    kind = EventMailKind(render_args["kind"])
    context = dict(render_args["context"])
    shown = None
    with links_context():
        if template in CARRIES_DOOR_PASS:
            context.update(pass_url=_door_pass_url(user, event), qr_cid=QR_IMAGE_ID)
            shown = [_door_pass_image(user, event)]
        text, html = mail.render_bodies(
            template, **_event_mail_context(user, event, kind, rsvp, context)
        )
    return Rendered(text, html, None, shown)


def _door_pass_url(user, event):
    # A guest's pass is on the page of their answer; a member's, behind a login.
    if user.is_guest:
        return answer_url(event.id, user.id)
    return public_url.absolute_url("events.door_pass.show", event_id=event.id)


def _door_pass_image(user, event):
    """The door pass's QR code, an inline part the HTML shows as cid:door-qr."""
    return {
        "content_type": "image/png",
        "content_id": QR_IMAGE_ID,
        "filename": "door-pass.png",
        "content": qr_png(scan_url(event.id, user.id)),
    }
