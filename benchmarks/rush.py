"""The RSVP rush: 50 members answer "going" at the same moment to an event with 10 places
left, three times (a fresh event each time), so the last places are raced and not only
the waitlist.

Each run copies the big event in the scratch database, with no answers and CAPACITY
places. The members act as benchmarks/crowd.py has them: each logged in from a browser of
their own, all posting together, as htmx does. Every answer must come back (200), and each
event's counters must agree with its answers afterwards: exactly its 10 places taken,
everyone else on the waitlist in one unbroken line of tickets. The line gives each run's
p50 and p99 and their spread over the runs.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.crowd import Timings, at_once, members_without
from webapp.seed.events import BIG_EVENT_ID

RUSHERS = 50
CAPACITY = 10
RUNS = 3


@dataclass
class RushRun:
    timings: Timings
    counts: dict

    @property
    def exact(self):
        """Counters as the rows say, every place taken once, and every other rusher in
        line behind them."""
        c = self.counts
        return (
            c["going_count"] == c["going_rows"] == c["places_taken"] == CAPACITY
            and c["waitlist_count"] == c["waiting_rows"] == self.timings.answered - CAPACITY
            and c["tickets"] == c["distinct_tickets"] == c["waiting_rows"]
        )


@dataclass
class RushResult:
    runs: list

    @property
    def exact(self):
        return all(run.exact for run in self.runs)

    def line(self):
        p50s = [run.timings.percentile(50) for run in self.runs]
        p99s = [run.timings.percentile(99) for run in self.runs]
        statuses = {}
        for run in self.runs:
            for status, count in run.timings.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        return (
            f"{len(self.runs)} runs of {RUSHERS} members answering going at once to an event "
            f"with {CAPACITY} places: answers {statuses}; p50 {_spread(p50s)} ms, "
            f"p99 {_spread(p99s)} ms (each run's, lowest-highest); {self._verdict()}"
        )

    def _verdict(self):
        wrong = [str(number) for number, run in enumerate(self.runs, 1) if not run.exact]
        return f"counts WRONG in run {', '.join(wrong)}" if wrong else "counts exact in every run"


def _spread(values):
    return f"{min(values):.0f}-{max(values):.0f}"


COUNTS = sa.text(
    "SELECT e.capacity, e.places_taken, e.going_count, e.waitlist_count,"
    " count(r.id) FILTER (WHERE r.answer = 'going') AS going_rows,"
    " count(r.id) FILTER (WHERE r.answer = 'waitlisted') AS waiting_rows,"
    " count(r.waitlist_ticket) AS tickets,"
    " count(DISTINCT r.waitlist_ticket) AS distinct_tickets"
    " FROM events e LEFT JOIN rsvps r ON r.event_id = e.id WHERE e.id = :event"
    " GROUP BY e.id"
)


def new_event(connection, number):
    """A copy of the big event in the scratch database, with no answers and CAPACITY
    places: (its id, its slug)."""
    events = sa.Table("events", sa.MetaData(), autoload_with=connection)
    slug = f"rush-{number}"
    fresh = {
        "title": f"Rush {number}",
        "slug": slug,
        "capacity": CAPACITY,
        "guests_allowed": 0,
        "rsvp_deadline": None,
        "places_taken": 0,
        "going_count": 0,
        "waitlist_count": 0,
        "maybe_count": 0,
    }
    columns = [column for column in events.c if column.name != "id"]
    copied = sa.select(
        *(
            sa.literal(fresh[column.name], column.type).label(column.name)
            if column.name in fresh
            else column
            for column in columns
        )
    ).where(events.c.id == BIG_EVENT_ID)
    made = events.insert().from_select([column.name for column in columns], copied)
    event_id = connection.execute(made.returning(events.c.id)).scalar_one()
    # As the seed does: its reminders count as sent, so nobody is mailed one.
    connection.execute(
        sa.text(
            "INSERT INTO event_mail_states (event_id, sequence, reminded_at)"
            " VALUES (:event, 0, now())"
        ),
        {"event": event_id},
    )
    return event_id, slug


def _one_run(port, engine, number):
    with engine.begin() as connection:
        event_id, slug = new_event(connection, number)
    rushers = members_without(
        engine,
        "SELECT 1 FROM rsvps r WHERE r.event_id = :event AND r.user_id = u.id",
        {"event": event_id},
        RUSHERS,
    )
    timings, _ = at_once(
        port,
        rushers,
        f"/events/{event_id}-{slug}",
        f"/events/{event_id}/rsvp",
        lambda index: {"answer": "going"},
    )
    with engine.connect() as connection:
        counts = dict(connection.execute(COUNTS, {"event": event_id}).mappings().one())
    return RushRun(timings=timings, counts=counts)


def rush(port, database_url):
    engine = sa.create_engine(database_url)
    try:
        return RushResult([_one_run(port, engine, number) for number in range(1, RUNS + 1)])
    finally:
        engine.dispose()
