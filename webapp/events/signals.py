"""Moments of an event's life that other parts (mail, reminders, the waitlist) react to.

Each is sent with the event as sender, inside the request's transaction: a receiver
writes its own rows (outbox messages, promotions) in the same unit of work, so they
commit or roll back with the change that caused them. All but rsvp_answered are sent
after the change is flushed; rsvp_answered just before, so that the answer, the event's
counters and the confirmation are written in one flush while the answer holds the
event's lock (the answer's row may not have its id yet).
"""

from blinker import Namespace

_signals = Namespace()

event_published = _signals.signal("event-published")
# actor: the organiser who, publishing it, asked that the group's members be told.
publication_announced = _signals.signal("publication-announced")
# changes: the set of field names whose values changed (e.g. {"starts_at", "venue"}).
event_changed = _signals.signal("event-changed")
# with_series: cancelled by its series' end, whose people are told once (series_ended).
event_cancelled = _signals.signal("event-cancelled")
# Sent with the series' first date as sender; dates: those the end cancelled, in order.
series_ended = _signals.signal("series-ended")
event_deleted = _signals.signal("event-deleted")
# rsvp, previous: the answer now and the answer before (None for a first answer); confirm:
# whether the person is mailed a confirmation (not for each date of a series at once).
rsvp_answered = _signals.signal("rsvp-answered")
# rsvp: an answer that moved from the waitlist to going.
rsvp_promoted = _signals.signal("rsvp-promoted")
