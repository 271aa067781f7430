"""A date poll's slot becomes its event's date, in one step: the event moves through the
events' own rule (update_event: its checks, its lock, and the mail that tells the people
who answered of the new time), and the poll closes, its question answered.

The poll's row is locked before the event's (update_event takes that one): votes lock
only the poll and answers only the event, so no request holds them the other way round.
"""

from dataclasses import fields

from webapp.events.services import EventDetails, update_event
from webapp.polls.services import lock_poll, options_locked, results_changed
from webapp.rules import RuleError
from webapp.timeutil import utcnow


def slot_of(poll, option_id):
    """One of a date poll's slots, or None (not a date poll, or not its slot)."""
    if not poll.is_date_poll:
        return None
    return next((o for o in options_locked(poll) if o.id == option_id and o.is_slot), None)


def schedule_event_at(actor, poll, option_id):
    """Make the slot the poll's event's start and end, and close the poll. Returns the
    slot."""
    if poll.event is None:
        raise RuleError("This poll is not on an event: there is no date to set.")
    lock_poll(poll)
    slot = slot_of(poll, option_id)
    if slot is None:
        raise RuleError("That slot is no longer in the poll.")
    event = poll.event
    # Everything as the event has it, but the times: the event's rules check the whole.
    details = {field.name: getattr(event, field.name) for field in fields(EventDetails)}
    details.update(starts_at=slot.starts_at, ends_at=slot.ends_at)
    update_event(actor, event, EventDetails(**details))
    if poll.closed_at is None:
        poll.closed_at = utcnow()
    results_changed(poll)
    return slot
