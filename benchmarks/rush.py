"""The RSVP rush: 50 members answer "going" to one full event at the same moment.

The members act as benchmarks/crowd.py has them: each logged in from a browser of their
own, all posting together, as htmx does. Every answer must come back (200), the slowest
within the target, and the event's counters must agree with its answers afterwards:
nobody past the capacity, everyone else on the waitlist in one unbroken line of tickets.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.crowd import Timings, at_once, members_without
from webapp.seed.events import BIG_EVENT_ID, BIG_EVENT_SLUG

RUSHERS = 50


@dataclass
class RushResult:
    timings: Timings
    going_before: int
    waiting_before: int
    counts: dict

    @property
    def exact(self):
        """Counters as the rows say, capacity kept, and every rusher in line behind it."""
        c = self.counts
        return (
            c["going_count"] == c["going_rows"]
            and c["waitlist_count"] == c["waiting_rows"]
            and c["places_taken"] <= c["capacity"]
            and c["going_rows"] == self.going_before
            and c["waiting_rows"] == self.waiting_before + self.timings.answered
            and c["tickets"] == c["distinct_tickets"] == c["waiting_rows"]
        )

    def line(self):
        c = self.counts
        return (
            f"{RUSHERS} members answer going at once to the full big event: "
            f"{self.timings.text()}; going {c['going_rows']} "
            f"of {c['capacity']}, waitlist {self.waiting_before} -> {c['waiting_rows']}; "
            f"counts {'exact' if self.exact else 'WRONG'}"
        )


def _counts(engine):
    query = sa.text(
        "SELECT e.capacity, e.places_taken, e.going_count, e.waitlist_count,"
        " count(*) FILTER (WHERE r.answer = 'going') AS going_rows,"
        " count(*) FILTER (WHERE r.answer = 'waitlisted') AS waiting_rows,"
        " count(r.waitlist_ticket) AS tickets,"
        " count(DISTINCT r.waitlist_ticket) AS distinct_tickets"
        " FROM events e LEFT JOIN rsvps r ON r.event_id = e.id WHERE e.id = :event"
        " GROUP BY e.id"
    )
    with engine.connect() as connection:
        return dict(connection.execute(query, {"event": BIG_EVENT_ID}).mappings().one())


def rush(port, database_url):
    engine = sa.create_engine(database_url)
    try:
        before = _counts(engine)
        rushers = members_without(
            engine,
            "SELECT 1 FROM rsvps r WHERE r.event_id = :event AND r.user_id = u.id",
            {"event": BIG_EVENT_ID},
            RUSHERS,
        )
        timings, _ = at_once(
            port,
            rushers,
            f"/events/{BIG_EVENT_ID}-{BIG_EVENT_SLUG}",
            f"/events/{BIG_EVENT_ID}/rsvp",
            lambda index: {"answer": "going"},
        )
        return RushResult(
            timings=timings,
            going_before=before["going_rows"],
            waiting_before=before["waiting_rows"],
            counts=_counts(engine),
        )
    finally:
        engine.dispose()
