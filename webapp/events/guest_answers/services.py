"""The rules of answering without an account.

Asking to answer does the same work whatever the address: the request only queues a job
naming it, and the job looks the address up (webapp.auth.services does the same for a
forgotten password), so no answer and no timing tells a stranger who has an account. The
job mails an account's owner a link to log in and answer; anyone else, a link that
confirms the answer, kept with the link's row (the single-use, expiring tokens of
webapp.accounts.tokens) until it is followed: before that, nothing holds a place.
Confirming answers as a member does (webapp.events.rsvp.services.answer_event, under the
event's lock), for the guest's row.
"""

import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import UNUSABLE_HASH, EmailToken, User, normalize_email
from webapp.accounts.queries import find_user_by_email
from webapp.accounts.tokens import issue_token, redeem_token
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.access import event_url, takes_guests
from webapp.events.guest_answers.forms import GUEST_CHOICES
from webapp.events.mail.sending import links_context
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.events.rsvp.services import answer_event, closed_reason, guest_limit_message
from webapp.extensions import db
from webapp.jobs import enqueue_after_commit, job_context
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.languages import language_of
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

log = logging.getLogger("hearth.jobs")

# How long the link that confirms a guest's answer works.
CONFIRM_WITHIN = timedelta(hours=24)


def confirm_purpose(event_id):
    """The purpose of the link confirming an answer to event_id: one event's link is no
    link at another, and a newer answer to the same event replaces an older one."""
    return f"guest_answer:{event_id}"


def ask_to_answer(event, name, email, answer, guests, language):
    """Check what a visitor sent and queue the job that mails them (send_answer_link_job);
    RuleError on the field at fault."""
    if not takes_guests(event):
        raise RuleError(_("Only members of %(group)s can answer.", group=event.group.name))
    if event.answers_closed():
        raise RuleError(closed_reason(event))
    if answer not in {choice.value for choice in GUEST_CHOICES}:
        raise RuleError(_("Choose going or maybe."), "answer")
    if not 0 <= guests <= event.guests_allowed:
        raise RuleError(guest_limit_message(event), "guests")
    enqueue_after_commit(
        "webapp.events.guest_answers.services.send_answer_link_job",
        event.id,
        email,
        name,
        answer,
        guests if answer == "going" else 0,
        language,
    )


def send_answer_link_job(event_id, email, name, answer, guests, language):
    """Job: mail the address a link that confirms the answer (making the guest's row if
    the address has none), or, when it belongs to an account, a link to log in and answer.
    Nothing for a deactivated account, or an event no longer open to guests."""
    with job_context(), links_context():
        event = db.session.get(Event, event_id)
        if event is None or not event.is_live or not takes_guests(event):
            return
        person = find_user_by_email(email) or _new_guest(email, name, language)
        if not person.active:
            return
        if not person.is_guest:
            _send_log_in_instead(person, event)
            return
        token = issue_token(
            person,
            confirm_purpose(event.id),
            max_age=int(CONFIRM_WITHIN.total_seconds()),
            details={"name": name, "answer": answer, "guests": guests, "language": language},
        )
        mail.send_template(
            person.email,
            _l("Confirm your answer to %(title)s", title=event.title),
            "events/guest_confirm",
            language=language,
            name=name,
            event=event,
            group=event.group,
            answer=answer,
            guests=guests,
            url=public_url.absolute_url(
                "events.guest_answers.confirm", event_id=event.id, token=token
            ),
        )


def _new_guest(email, name, language):
    """A row for someone without an account; two jobs for one address racing make one."""
    guest = User(
        email=email,
        email_normalized=normalize_email(email),
        first_name=name,
        last_name="",
        # A guest cannot log in.
        password_hash=UNUSABLE_HASH,
        language=language,
        is_guest=True,
    )
    try:
        with db.session.begin_nested():
            db.session.add(guest)
    except IntegrityError:
        return find_user_by_email(email)
    return guest


def _send_log_in_instead(person, event):
    mail.send_template(
        person.email,
        _l("Log in to answer %(title)s", title=event.title),
        "events/guest_has_account",
        language=language_of(person),
        user=person,
        event=event,
        group=event.group,
        url=public_url.absolute_url("auth.login", next=event_url(event)),
    )


def confirm_answer(event, signed_token):
    """Follow a confirmation link: the answer it carries becomes the guest's, taking a
    place or the waitlist as a member's would. Returns (guest, Rsvp); TokenError for a
    link that cannot be used, RuleError when the answer cannot be given now."""
    token = redeem_token(signed_token, confirm_purpose(event.id))
    guest = token.user
    if not guest.is_guest:
        # They signed up since: their account answers now.
        raise RuleError(_("This address has an account now: log in to answer."))
    details = token.details or {}
    guest.first_name = details.get("name") or guest.first_name
    # Following the link proved the address: the event's email may go to it.
    if guest.email_verified_at is None:
        guest.email_verified_at = utcnow()
    rsvp = answer_event(guest, event, details.get("answer", ""), details.get("guests", 0))
    return guest, rsvp


def forget_idle_guests(now=None):
    """Sweep: delete the rows of guests who hold nothing: no answer (never confirmed, or
    their events deleted) and no link still to follow. Returns how many went. In a session
    of its own (job_context): it also runs in the web process after a commit."""
    with job_context():
        now = now or utcnow()
        holds_answer = sa.exists().where(Rsvp.user_id == User.id)
        waits_for_link = sa.exists().where(
            EmailToken.user_id == User.id,
            EmailToken.used_at.is_(None),
            EmailToken.expires_at > now,
        )
        idle = db.session.scalars(
            sa.select(User.id).where(
                User.is_guest.is_(True),
                User.created_at < now - CONFIRM_WITHIN,
                ~holds_answer,
                ~waits_for_link,
            )
        ).all()
        if not idle:
            return 0
        db.session.execute(
            sa.delete(User).where(User.id.in_(idle), User.is_guest.is_(True), ~holds_answer),
            execution_options={"synchronize_session": False},
        )
    log.info("idle guests: %d forgotten", len(idle))
    return len(idle)
