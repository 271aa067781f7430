"""The rush: 50 members answer "going" to one full event at the same moment.

Each member logs in with a browser of their own (cookies, CSRF token from the event
page); then 50 threads wait at a barrier and post their answer together, as htmx does.
Every answer must come back (200), the slowest within the target, and the event's
counters must agree with its answers afterwards: nobody past the capacity, everyone
else on the waitlist in one unbroken line of tickets.
"""

import statistics
import threading
import urllib.parse
from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.load import CSRF_IN_PAGE, Browser
from webapp.seed import BIG_GROUP_SLUG, SEED_PASSWORD
from webapp.seed.events import BIG_EVENT_ID, BIG_EVENT_SLUG

RUSHERS = 50


@dataclass
class RushResult:
    answered: int
    statuses: dict
    p50: float
    p99: float
    slowest: float
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
            and c["waiting_rows"] == self.waiting_before + self.answered
            and c["tickets"] == c["distinct_tickets"] == c["waiting_rows"]
        )

    def line(self):
        c = self.counts
        return (
            f"{RUSHERS} members answer going at once to the full big event: "
            f"{self.answered} answered ({self.statuses}), p50 {self.p50:.0f} ms, "
            f"p99 {self.p99:.0f} ms, slowest {self.slowest:.0f} ms; going {c['going_rows']} "
            f"of {c['capacity']}, waitlist {self.waiting_before} -> {c['waiting_rows']}; "
            f"counts {'exact' if self.exact else 'WRONG'}"
        )


def _rushers(engine):
    """Active members of the big group with no answer to the big event yet."""
    query = sa.text(
        "SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id"
        " JOIN groups g ON g.id = m.group_id"
        " WHERE g.slug = :slug AND m.status = 'active' AND NOT EXISTS"
        " (SELECT 1 FROM rsvps r WHERE r.event_id = :event AND r.user_id = u.id)"
        " ORDER BY u.id LIMIT :n"
    )
    with engine.connect() as connection:
        rows = connection.execute(
            query, {"slug": BIG_GROUP_SLUG, "event": BIG_EVENT_ID, "n": RUSHERS}
        )
        return [row.email for row in rows]


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


def _ready(port, email):
    """A member's browser, logged in, holding the CSRF token of the event's page."""
    browser = Browser(port)
    browser.log_in(email, SEED_PASSWORD)
    page = browser.request("GET", f"/events/{BIG_EVENT_ID}-{BIG_EVENT_SLUG}").body.decode()
    return browser, CSRF_IN_PAGE.search(page).group(1)


def rush(port, database_url):
    engine = sa.create_engine(database_url)
    try:
        before = _counts(engine)
        ready = [_ready(port, email) for email in _rushers(engine)]
        barrier = threading.Barrier(len(ready))
        answers = [None] * len(ready)

        def answer(index):
            browser, token = ready[index]
            form = urllib.parse.urlencode({"answer": "going", "csrf_token": token})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": token,
            }
            barrier.wait()
            answers[index] = browser.request(
                "POST", f"/events/{BIG_EVENT_ID}/rsvp", headers=headers, body=form
            )

        threads = [threading.Thread(target=answer, args=(i,)) for i in range(len(ready))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        times = sorted(a.seconds * 1000 for a in answers)
        statuses = {}
        for a in answers:
            statuses[a.status] = statuses.get(a.status, 0) + 1
        return RushResult(
            answered=statuses.get(200, 0),
            statuses=statuses,
            p50=statistics.median(times),
            p99=times[max(0, round(0.99 * len(times)) - 1)],
            slowest=times[-1],
            going_before=before["going_rows"],
            waiting_before=before["waiting_rows"],
            counts=_counts(engine),
        )
    finally:
        engine.dispose()
