"""An answer moved from one state to another under the event's lock, with the event's
counters (places_taken, going_count, waitlist_count, maybe_count) and its waitlist
tickets kept in step.

The counters change here and only here, under that lock, so pages read them rather than
count rows. Answering (services) and promotion from the waitlist (waitlist) both move
answers through move_answer.
"""

from webapp.database.times import utcnow
from webapp.database.unit_of_work import lock_row
from webapp.events.rsvp.models import Answer


def lock_event(event):
    """Lock the event's row, then read it again: the counters as the last holder left them.
    Nothing to do when this transaction read the event with its lock (access.load_event's
    to_answer)."""
    lock_row(event, read_again=True)


def count_answer(event, rsvp, sign):
    """Add (sign=1) or take away (sign=-1) rsvp's share of the event's counters."""
    if rsvp.answer == Answer.GOING:
        event.going_count += sign
        event.places_taken += sign * rsvp.places
    elif rsvp.answer == Answer.WAITLISTED:
        event.waitlist_count += sign
    elif rsvp.answer == Answer.MAYBE:
        event.maybe_count += sign


def move_answer(event, rsvp, answer, guests):
    """Move rsvp to answer with guests, keeping the counters and the waitlist ticket."""
    count_answer(event, rsvp, -1)
    if answer == Answer.WAITLISTED and rsvp.answer != Answer.WAITLISTED:
        # Tickets are handed out under the lock: their order is the order of commits.
        event.waitlist_tickets += 1
        rsvp.waitlist_ticket = event.waitlist_tickets
    elif answer != Answer.WAITLISTED:
        rsvp.waitlist_ticket = None
    rsvp.answer = answer
    rsvp.guests = guests
    rsvp.answered_at = utcnow()
    count_answer(event, rsvp, 1)
