"""Members of the big group acting at the same moment: what the rushes share.

Each member logs in with a browser of their own (cookies, and the CSRF token of the page
they act from); then one thread per member waits at a barrier and sends its POST together
with all the others, as htmx sends it. The rushes (rush.py: answers to the big event;
vote_rush.py: votes in the big poll) choose the members, the form and what must hold
afterwards.
"""

import os
import statistics
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.load import CSRF_IN_PAGE, Browser
from webapp.seed import BIG_GROUP_SLUG, SEED_PASSWORD

# Each login hashes a password on the server, slow on purpose: as many at once as there
# are cores keeps them all busy without queueing.
LOGINS_AT_ONCE = os.cpu_count() or 1


@dataclass
class Timings:
    """The answers to one rush: statuses, and the time each took, in ms."""

    statuses: dict
    times: list

    @property
    def answered(self):
        return self.statuses.get(200, 0)

    def percentile(self, share):
        """The time (ms) within which share percent of the answers came."""
        if share == 50:
            return statistics.median(self.times)
        times = sorted(self.times)
        return times[max(0, round(share / 100 * len(times)) - 1)]

    def text(self):
        return (
            f"{self.answered} answered ({self.statuses}), p50 {self.percentile(50):.0f} ms, "
            f"p99 {self.percentile(99):.0f} ms, slowest {max(self.times):.0f} ms"
        )


def members_without(engine, answer, values, count):
    """Emails of the first count active members of the big group who have no row in
    `answer`: SQL about `u` (the member), e.g. "SELECT 1 FROM rsvps r WHERE ...".
    """
    query = sa.text(  # answer: the rushes' own SQL, never outside input
        "SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id"  # noqa: S608
        " JOIN groups g ON g.id = m.group_id"
        f" WHERE g.slug = :slug AND m.status = 'active' AND NOT EXISTS ({answer})"
        " ORDER BY u.id LIMIT :n"
    )
    with engine.connect() as connection:
        rows = connection.execute(query, {"slug": BIG_GROUP_SLUG, "n": count, **values})
        return [row.email for row in rows]


def logged_in_at(port, email, page):
    """A member's browser, logged in, holding the CSRF token of page."""
    browser = Browser(port)
    browser.log_in(email, SEED_PASSWORD)
    html = browser.request("GET", page).body.decode()
    return browser, CSRF_IN_PAGE.search(html).group(1)


def at_once(port, emails, page, path, form_of, meanwhile=None):
    """Log each of emails in, then POST form_of(index) to path from all of them together;
    meanwhile (the scale test's fault), if given, is called in a thread of its own as they
    go. Returns the Timings and the answers, in the order of emails."""
    with ThreadPoolExecutor(LOGINS_AT_ONCE) as pool:
        ready = list(pool.map(lambda email: logged_in_at(port, email, page), emails))
    return together(ready, path, form_of, meanwhile)


def together(ready, path, form_of, meanwhile=None):
    """POST form_of(index) to path from each (browser, CSRF token) of ready at the same
    moment, and meanwhile() beside them if given. An answer that never came whole counts
    as DROPPED; any other error is raised here, once every thread is done."""
    # Every form is made before any thread waits: one that failed in a thread, before the
    # barrier, would leave the others waiting there for ever.
    requests = [
        (
            browser,
            urllib.parse.urlencode({**form_of(index), "csrf_token": token}, doseq=True),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": token,
            },
        )
        for index, (browser, token) in enumerate(ready)
    ]
    barrier = threading.Barrier(len(ready) + (meanwhile is not None))

    def send(index):
        browser, form, headers = requests[index]
        barrier.wait()
        return browser.attempt("POST", path, headers=headers, body=form)

    def fault():
        barrier.wait()
        meanwhile()

    with ThreadPoolExecutor(barrier.parties) as pool:
        sent = [pool.submit(send, index) for index in range(len(ready))]
        struck = pool.submit(fault) if meanwhile is not None else None
    answers = [future.result() for future in sent]
    if struck is not None:
        struck.result()
    statuses = {}
    for answer in answers:
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    return Timings(statuses, [answer.seconds * 1000 for answer in answers]), answers
