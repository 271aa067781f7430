"""A date poll's slot becomes a date, in one step, and the poll closes, its question
answered: the date of the poll's event, which moves through the events' own rule
(update_event: its checks, its lock, and the mail that tells the people who answered of
the new time); or, for a poll of the group alone, the date of a new event of the group,
which becomes the poll's event.

A new event is published at once. The voters are told in the same step, and a draft is
its organisers' alone: the email would send them to a page they may not open. Published,
it is there for them to answer; the organiser adds a venue or description afterwards, and
whoever has answered by then hears of a new place as for any event.

The voters are emailed once each: the result the closing would mail is this email, and
whoever the event's own notice of the new time reached is not mailed again. Setting the
same date twice (a double click) mails nobody the second time.

The poll's row is locked before the event's (update_event takes that one): votes lock
only the poll and answers only the event, so no request holds them the other way round.
"""

from dataclasses import fields

from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.mail.notify import change_notice_recipients
from webapp.events.services import EventDetails, create_event, publish_event, update_event
from webapp.polls.changes import lock_poll, results_changed
from webapp.polls.closing import drop_closing
from webapp.polls.mailing import mail_voters
from webapp.polls.options import options_locked
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


def slot_of(poll, option_id):
    """One of a date poll's slots, or None (not a date poll, or not its slot)."""
    if not poll.is_date_poll:
        return None
    return next((o for o in options_locked(poll) if o.id == option_id and o.is_slot), None)


def _locked_slot(poll, option_id):
    lock_poll(poll)
    slot = slot_of(poll, option_id)
    if slot is None:
        raise RuleError(_("That slot is no longer in the poll."))
    return slot


def _close(poll):
    """Close the poll (if its time or an organiser has not); True when its result is still
    to be mailed, which is then this step's email, not the closing job's."""
    now = utcnow()
    if poll.closed_at is None:
        poll.closed_at = min(now, poll.closes_at) if poll.closes_at else now
    results_changed(poll)
    if poll.results_mailed_at is not None:
        return False
    poll.results_mailed_at = now
    drop_closing(poll)
    return True


def _tell_voters(poll, slot, event, skip=(), made_event=False):
    mail_voters(
        poll,
        "date_set",
        _l("Date set: %(title)s, %(slot)s", title=event.title, slot=slot.label),
        skip=skip,
        event=event,
        slot=slot,
        made_event=made_event,
    )


def schedule_event_at(actor, poll, option_id):
    """Make the slot the poll's event's start and end, and close the poll. Returns the
    slot."""
    if poll.event is None:
        raise RuleError(_("This poll is not on an event: there is no date to set."))
    slot = _locked_slot(poll, option_id)
    event = poll.event
    # Everything as the event has it, but the times: the event's rules check the whole.
    details = {field.name: getattr(event, field.name) for field in fields(EventDetails)}
    details.update(starts_at=slot.starts_at, ends_at=slot.ends_at)
    changes = update_event(actor, event, EventDetails(**details))
    told = {user.id for user, _rsvp in change_notice_recipients(event, changes)}
    if _close(poll) or changes:
        _tell_voters(poll, slot, event, skip=told)
    return slot


def schedule_new_event(actor, poll, option_id, title):
    """A new event of the poll's group at the slot, published, the poll's event from now
    on; the poll closes. Returns the event."""
    slot = _locked_slot(poll, option_id)
    if poll.event_id is not None:
        raise RuleError(_("This poll has made its event already: its date is set there."))
    if slot.ends_at <= utcnow():
        raise RuleError(_("That slot is over: choose one still to come."))
    details = EventDetails(
        title=title,
        description="",
        venue="",
        address="",
        online_url="",
        time_zone=poll.time_zone,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=None,
        rsvp_deadline=None,
        guests_allowed=0,
    )
    event = create_event(actor, poll.group, details)
    publish_event(actor, event)
    poll.event_id, poll.event = event.id, event
    _close(poll)
    _tell_voters(poll, slot, event, made_event=True)
    return event
