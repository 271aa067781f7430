"""The RSVP services: answering, withdrawing, an organiser removing someone, an answer
dropped with its account, promotion when places open, and the RSVP panel's live version.

Every change locks the event's row first and then reads again what it decides on (the
event's counters, the person's answer), so answers that arrive at the same moment are
decided one after the other: never more places taken than the capacity, whatever the
interleaving (NOTES.md: a count without the lock booked more people than there were
places). An answer moves, and the event's counters with it, through
counters.move_answer; places freed go to the waitlist, first in line who fits
(waitlist.py).

Services flush and raise RuleError; the request commits. They send the signals of
webapp/events/signals.py (the mail work answers them; rsvp_answered just before the
answer's flush, so its receivers' rows are written in it) and move the live version of the
event's RSVP panel on (Event.rsvp_version), published to Redis after commit.
"""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp import live
from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_user
from webapp.database.setup import prepared
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events import signals
from webapp.events.access import may_answer
from webapp.events.models import Event
from webapp.events.rsvp.counters import count_answer, lock_event, move_answer
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.queries import AnswerPrefetch
from webapp.events.rsvp.waitlist import place_of_new_ticket, promote_who_fits
from webapp.extensions import db
from webapp.groups.signals import member_left
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

# What people answer; WAITLISTED is where "going" lands while the event is full.
CHOICES = (Answer.GOING, Answer.MAYBE, Answer.NOT_GOING)


def panel_topic(event_id):
    return live.topic("rsvp", "event", event_id)


def changes_end_at(event):
    """When the event's RSVP panel can no longer change: now if it is cancelled or deleted."""
    return utcnow() if event.is_cancelled or not event.is_live else event.ends_at


def panel_changed(event):
    """Move the panel's version on, in this transaction, and publish it once it commits.
    Call under the event's lock (counters.lock_event here, services._lock for the organisers'
    changes), which reads the version again: the changes to one event, and so their
    versions, come one after the other."""
    event.rsvp_version += 1
    publish_panel_version(event)


def publish_panel_version(event):
    """Tell the RSVP panel's live part the event's version once the transaction commits."""
    live.publish_after_commit(
        panel_topic(event.id), event.rsvp_version, until=changes_end_at(event)
    )


# Built once, and prepared: it runs while the event's row is locked.
_ANSWER_OF = prepared(
    sa.select(Rsvp)
    .where(Rsvp.event_id == sa.bindparam("event_id"), Rsvp.user_id == sa.bindparam("user_id"))
    .execution_options(populate_existing=True)
)


def answer_of(user, event):
    """user's answer to event, read afresh (after the lock, what another request did counts)."""
    return db.session.scalar(_ANSWER_OF, {"event_id": event.id, "user_id": user.id})


def closed_reason(event):
    if event.is_cancelled:
        return _("This event is cancelled.")
    if event.is_draft:
        return _("Answers open when the event is published.")
    return _("Answers to this event are closed.")


def answer_event(actor, event, answer, guests=0, confirm=True):
    """Going, maybe or not going (with guests, when going). Going to a full event puts
    the person on the waitlist; leaving, or bringing fewer guests, promotes whoever fits.
    Returns the answer as it stands (Rsvp). confirm=False: no confirmation mail (an answer
    to many dates of a series at once)."""
    if answer not in {choice.value for choice in CHOICES}:
        raise RuleError(_("Choose going, maybe or not going."), "answer")
    answer = Answer(answer)
    guests = guests if answer == Answer.GOING else 0
    lock_event(event)
    if event.answers_closed():
        raise RuleError(closed_reason(event))
    held = answer_of(actor, event)
    # Withdrawing stays open to whoever holds an answer (a guest of a group that has
    # stopped taking guests since).
    if not may_answer(actor, event) and (held is None or answer != Answer.NOT_GOING):
        raise RuleError(_("Only members of %(group)s can answer.", group=event.group.name))
    if not 0 <= guests <= event.guests_allowed:
        raise RuleError(guest_limit_message(event), "guests")
    # The user along, so that receivers of rsvp_answered know them before the flush.
    rsvp = held or Rsvp(event_id=event.id, user_id=actor.id, user=actor, guests=0)
    previous = rsvp.answer  # None for a first answer
    new_state = _state_for(event, rsvp, answer, guests)
    if new_state == previous and guests == rsvp.guests:
        return rsvp  # the same answer again (a double click): nothing changes
    freed = previous == Answer.GOING and (new_state != Answer.GOING or guests < rsvp.guests)
    move_answer(event, rsvp, new_state, guests)
    # Before the flush: the panel's version is written with the counters, in one UPDATE,
    # and what the receivers write (the confirmation's outbox row) in the same flush.
    panel_changed(event)
    signals.rsvp_answered.send(event, rsvp=rsvp, previous=previous, confirm=confirm)
    _save(rsvp, first_answer=previous is None)
    if freed:
        promote_who_fits(event)
    if new_state != Answer.WAITLISTED or previous != Answer.WAITLISTED:
        # The panel shown next needs this answer and its place in line: known here, so it
        # is not read again.
        place = place_of_new_ticket(event) if new_state == Answer.WAITLISTED else None
        AnswerPrefetch.remember(actor, event, rsvp, place)
    return rsvp


def guest_limit_message(event):
    if not event.guests_allowed:
        return _("This event does not take guests.")
    return ngettext(
        "You can bring up to %(num)d guest.",
        "You can bring up to %(num)d guests.",
        event.guests_allowed,
    )


def _save(rsvp, first_answer):
    """Flush the answer with the event's counters, in one round of statements."""
    if first_answer:
        db.session.add(rsvp)
        # Worded before the flush: one that fails expires the viewer's row, which choosing
        # the message's language reads, in a session that can read nothing until it rolls back.
        lost_race = _("Your answer was already being saved. Look again in a moment.")
    try:
        db.session.flush()
    except IntegrityError:
        if not first_answer:
            raise
        # Under the lock a second first answer from the same person cannot happen; should
        # it ever, the unique constraint refuses it and they hear so, not a 500. The
        # request rolls back on a RuleError (refuse does), counters included.
        raise RuleError(lost_race) from None


def _state_for(event, rsvp, answer, guests):
    """Where answer puts rsvp, given the places left once its current party is set aside."""
    if answer != Answer.GOING:
        return answer
    taken_by_it = rsvp.places if rsvp.answer == Answer.GOING else 0
    fits = event.capacity is None or (
        event.places_taken - taken_by_it + 1 + guests <= event.capacity
    )
    if rsvp.answer == Answer.GOING and not fits:
        # Going already: more guests than there is room for would cost them their place.
        room = event.capacity - event.places_taken + taken_by_it - 1
        raise RuleError(
            ngettext(
                "Only room for %(num)d guest now: you keep your place.",
                "Only room for %(num)d guests now: you keep your place.",
                room,
            ),
            "guests",
        )
    return Answer.GOING if fits else Answer.WAITLISTED


def promote_from_waitlist(event):
    """Fill free places from the waitlist, first in line who fits first. Returns the
    promoted answers. Also run when the capacity grows and when an organiser removes
    someone."""
    lock_event(event)
    promoted = promote_who_fits(event)
    if promoted:
        panel_changed(event)
    return promoted


def withdraw(actor, event):
    """Not going after all (off the waitlist too); frees the places taken."""
    return answer_event(actor, event, Answer.NOT_GOING)


def remove_attendee(actor, event, rsvp_id):
    """An organiser takes someone off the event (going, waitlisted or maybe): they count
    as not going, and whoever fits is promoted. They may answer again. Returns the
    answer. No rsvp_answered signal: the person did not answer."""
    lock_event(event)
    rsvp = db.session.scalar(
        sa.select(Rsvp)
        .where(Rsvp.id == rsvp_id, Rsvp.event_id == event.id)
        .execution_options(populate_existing=True)
    )
    if rsvp is None or rsvp.answer == Answer.NOT_GOING:
        raise RuleError(_("That person is no longer on the list."))
    freed = rsvp.answer == Answer.GOING
    move_answer(event, rsvp, Answer.NOT_GOING, 0)
    log_on_user(
        actor,
        AuditAction.ATTENDEE_REMOVED,
        rsvp.user,
        event.group_id,
        event=event.id,
        detail=event.title,
    )
    panel_changed(event)
    db.session.flush()
    if freed:
        promote_who_fits(event)
    return rsvp


def drop_answer(user, event):
    """user's answer to event goes (their account is being deleted, or they left the
    group): the counters lose it and, while the event is still ahead, whoever fits in the
    places it frees is promoted. Returns True when an answer was there."""
    lock_event(event)
    rsvp = answer_of(user, event)
    if rsvp is None:
        return False
    freed = rsvp.answer == Answer.GOING
    count_answer(event, rsvp, -1)
    db.session.delete(rsvp)
    panel_changed(event)
    db.session.flush()
    if freed and event.is_live and not event.is_cancelled and event.ends_at > utcnow():
        promote_who_fits(event)
    return True


@signals.event_changed.connect
def _capacity_changed(event, changes=(), **extra):
    """More places (a bigger capacity, or none at all) go to the waitlist at once."""
    if "capacity" in changes:
        promote_from_waitlist(event)
    panel_changed(event)


@signals.event_published.connect
@signals.event_cancelled.connect
@signals.event_deleted.connect
def _event_state_changed(event, **extra):
    panel_changed(event)


@member_left.connect
def _drop_coming_answers(group, user, **extra):
    """Someone no longer in group holds no places in its events still ahead: their
    answers there go, and the places freed go to the waitlists. Answers to events over
    stay, as history."""
    coming = db.session.scalars(
        sa.select(Event)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Event.group_id == group.id, Rsvp.user_id == user.id, Event.starts_at > utcnow())
        .order_by(Event.starts_at, Event.id)
    ).all()
    for event in coming:
        drop_answer(user, event)
