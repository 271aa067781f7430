"""`make scale-test`: Hearth as a small production runs it across machines (cluster.py),
with a web node and a job worker killed by SIGKILL while members use it.

Through the balancer, in order:

- the journey of a newcomer: sign up, confirm from the email, join the big group, answer
  its big event, vote in its big poll;
- live parts across nodes: a page opened on one node sees, polling the other, a change
  made through the first;
- the RSVP rush (50 members answer "going" together to an event with 10 places) while web
  node 1 and worker 1 are killed and started again, then the vote rush (100 members vote
  together in the big poll) while node 2 and worker 2 are.

A member whose answer was a 502 or 503, or never came whole (the balancer had begun to
relay it when its node died), sends it again, as a person reloading would. Then: every
answer was 200 or one of those (a prober reads pages all along, too), and the balancer's
502s were Hearth's page for them (`flask balancer-pages`); the counters are exact (10
going, 40 waiting in one unbroken line; one vote each, every option's count its votes);
and every email the outbox promised reached the SMTP server exactly once, each member's
confirmation among them.

Each check prints `ok` or `FAIL` with what was seen; the last line counts them, and the
exit status is 1 when one failed. TEST_DATABASE_URL names the PostgreSQL server (a scratch
database is made beside it) and SCALE_REDIS_URL a Redis database to empty
(redis://127.0.0.1:6379/11).
"""

import functools
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter

import sqlalchemy as sa

from benchmarks.crowd import at_once, logged_in_at, members_without
from benchmarks.load import CSRF_IN_PAGE, DROPPED, Browser
from benchmarks.rush import CAPACITY, COUNTS, RUSHERS, RushRun, new_event
from benchmarks.vote_rush import NOT_VOTED, VOTERS, VoteRushResult
from benchmarks.vote_rush import counts as poll_counts
from tests.scale.cluster import CLAIM_SECONDS, Cluster
from tests.support.checks import Checks
from webapp.seed import BIG_GROUP_SLUG, SEED_PASSWORD
from webapp.seed.events import BIG_EVENT_ID
from webapp.seed.polls import BIG_POLL_ID

# What a member may send again: refused by the balancer, or cut off as the node died.
RETRIABLE = {502, 503, DROPPED}
NEWCOMER = "newcomer@example.org"
PASSWORD = "a long and scaled passphrase"
# Every promised email has gone out by then: a killed worker's claim lapses, the next
# sweep queues its message, and a living worker sends it.
MAIL_WAIT_SECONDS = CLAIM_SECONDS + 60
LIVE_PART = re.compile(r'hx-get="([^"]+/live\?[^"]+)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
# What `flask balancer-pages` writes for HAProxy to answer with.
NO_ANSWER_PAGE = b'data-status="no-answer"'


def read(browser, path, redirects=3):
    """GET path, following redirects (an event's address gains its slug)."""
    answer = browser.attempt("GET", path)
    while answer.status in (301, 302, 303, 307, 308) and redirects:
        answer = browser.attempt("GET", answer.headers["Location"])
        redirects -= 1
    return answer


def submit(browser, page, path, form, htmx=False):
    """POST form to path with the CSRF token of page, as its form would; the page's own
    answer instead when it was not served."""
    shown = read(browser, page)
    if shown.status != 200:
        return shown
    token = CSRF_IN_PAGE.search(shown.body.decode()).group(1)
    headers = {**FORM_HEADERS, "X-CSRFToken": token}
    if htmx:
        headers["HX-Request"] = "true"
    body = urllib.parse.urlencode({**form, "csrf_token": token})
    return browser.attempt("POST", path, headers=headers, body=body)


def until_answered(send, tries=20):
    """send() until it is answered other than RETRIABLE, as a person would reload: the
    statuses it was answered with, in order."""
    statuses = []
    for _ in range(tries):
        status = send().status
        statuses.append(status)
        if status not in RETRIABLE:
            break
        time.sleep(0.5)
    return statuses


def wait_for(found, seconds, every=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(every)
    return found()


class Prober(threading.Thread):
    """Reads the big event's page through the balancer, over and over, keeping statuses."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.statuses = Counter()
        self.running = True

    def run(self):
        browser = Browser(self.port)
        # The event's address with its slug, where its short one leads.
        page = browser.request("GET", f"/events/{BIG_EVENT_ID}").headers["Location"]
        while self.running:
            try:
                self.statuses[browser.attempt("GET", page).status] += 1
            except OSError as error:
                self.statuses[type(error).__name__] += 1
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join()


def the_journey(cluster, checks):
    """A newcomer through the balancer, from signing up to a vote; the emails it promised."""
    port = cluster.port
    ann = Browser(port)
    signup = {
        "email": NEWCOMER,
        "first_name": "Ann",
        "last_name": "Scale",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    answered = submit(ann, "/signup", "/signup", signup)
    checks.check("a newcomer signs up through the balancer", answered.status == 303)
    mail = wait_for(lambda: cluster.smtp_messages(to=NEWCOMER), 30)
    link = re.search(r"https?://\S+/verify/\S+", mail[0].get_body(("plain",)).get_content())
    path = link.group(0).removeprefix(cluster.base_url) if link else "/"
    confirmed = submit(ann, path, path, {})
    checks.check(
        "the link in the verification email confirms and logs in (any node may answer)",
        confirmed.status == 303 and ann.request("GET", "/").status == 200,
        f"{confirmed.status} to {confirmed.headers.get('Location')}",
    )
    group = f"/groups/{BIG_GROUP_SLUG}"
    joined = submit(ann, group, f"{group}/join", {})
    member = "You are a member of this group." in ann.request("GET", group).body.decode()
    checks.check("she joins the big group", joined.status == 303 and member, str(joined.status))
    event = f"/events/{BIG_EVENT_ID}"
    rsvp = submit(ann, event, f"{event}/rsvp", {"answer": "going"})
    answer = cluster.value(
        "SELECT r.answer FROM rsvps r JOIN users u ON u.id = r.user_id"
        " WHERE u.email = :email AND r.event_id = :event",
        email=NEWCOMER,
        event=BIG_EVENT_ID,
    )
    checks.check(
        "she answers the big event (full: she waits in line)",
        rsvp.status == 303 and answer == "waitlisted",
        f"{rsvp.status}, {answer}",
    )
    poll = f"/polls/{BIG_POLL_ID}"
    option = next(iter(poll_counts(cluster.engine)["options"]))
    voted = submit(ann, poll, f"{poll}/vote", {"option": option})
    votes = cluster.value(
        "SELECT count(*) FROM poll_votes v JOIN users u ON u.id = v.user_id"
        " WHERE u.email = :email AND v.poll_id = :poll",
        email=NEWCOMER,
        poll=BIG_POLL_ID,
    )
    checks.check("she votes in the big poll", voted.status == 303 and votes == 1, str(voted.status))


def live_across_nodes(cluster, checks):
    """The poll's results opened on one node, polled on the other, change when a vote is
    made through the first."""
    first, second = cluster.nodes
    (email,) = members_without(cluster.engine, NOT_VOTED, {"poll": BIG_POLL_ID}, 1)
    voter = Browser(first.port)
    voter.log_in(email, SEED_PASSWORD)
    htmx = {"HX-Request": "true"}
    part = voter.request("GET", f"/polls/{BIG_POLL_ID}/results", headers=htmx)
    address = LIVE_PART.search(part.body.decode()).group(1).replace("&amp;", "&")
    on_second = Browser(second.port, cookies=dict(voter.cookies))
    before = on_second.request("GET", address, headers=htmx).status
    option = next(iter(poll_counts(cluster.engine)["options"]))
    voter_on_first = submit(
        voter, f"/polls/{BIG_POLL_ID}", f"/polls/{BIG_POLL_ID}/vote", {"option": option}
    )
    after = on_second.request("GET", address, headers=htmx)
    checks.check(
        "a live part opened on node 1 and polled on node 2 shows a vote made on node 1",
        before == 204 and voter_on_first.status == 303 and after.status == 200,
        f"poll before {before}, vote {voter_on_first.status}, poll after {after.status}",
    )


class KillAndRestart:
    """As members' requests are on their way, the machine of a web node dies, then that of
    a worker as soon as it is running a job (an email on its way), and both start again."""

    def __init__(self, node, worker):
        self.node = node
        self.worker = worker
        self.worker_was_at_work = None
        self.worker_back = None

    def __call__(self):
        time.sleep(0.05)
        self.node.kill()
        self.worker_was_at_work = self.worker.kill_at_work()
        time.sleep(1)
        self.worker.start()
        self.node.start()
        self.worker_back = self.worker.registered()

    def __str__(self):
        at_work = "in a job" if self.worker_was_at_work else "idle"
        return f"{self.node.name} and {self.worker.name} ({at_work}) are killed"


def rush_through(cluster, checks, fault, members, doing, page, path, form_of):
    """members POST form_of(index) to path at once from page while fault strikes; each
    whose answer was retriable sends it again from a fresh page, as a person reloading
    would. The rush's timings, as if every member had been answered 200 at first."""
    timings, answers = at_once(cluster.port, members, page, path, form_of, fault)
    again = Counter()
    for index, answer in enumerate(answers):
        if answer.status in RETRIABLE:
            browser, _ = logged_in_at(cluster.port, members[index], page)
            send = functools.partial(submit, browser, page, path, form_of(index), htmx=True)
            again.update(until_answered(send))
    first = Counter(timings.statuses)
    balancers = [answer for answer in answers if answer.status in (502, 503, 504)]
    checks.check(
        f"members who {doing} and were answered by the balancer got Hearth's page for it",
        all(NO_ANSWER_PAGE in answer.body for answer in balancers),
        f"{len(balancers)} answered by the balancer",
    )
    checks.check(
        f"{len(members)} members {doing} at once while {fault}: "
        "every answer 200 or retriable (502/503, or cut off), and 200 when sent again",
        set(first) | set(again) <= {200, *RETRIABLE} and first[200] + again[200] == len(members),
        f"first {dict(first)}, sent again {dict(again)}",
    )
    checks.check(
        f"{fault.worker.name} takes jobs again once started after it was killed",
        fault.worker_back,
        f"registered as {fault.worker.registered_name}: {fault.worker_back}",
    )
    timings.statuses = {200: len(members)}
    return timings


def rsvp_rush(cluster, checks):
    with cluster.engine.begin() as connection:
        event_id, slug = new_event(connection, "scale")
    rushers = members_without(
        cluster.engine,
        "SELECT 1 FROM rsvps r WHERE r.event_id = :event AND r.user_id = u.id",
        {"event": event_id},
        RUSHERS,
    )
    timings = rush_through(
        cluster,
        checks,
        KillAndRestart(cluster.nodes[0], cluster.workers[0]),
        rushers,
        "answer going",
        f"/events/{event_id}-{slug}",
        f"/events/{event_id}/rsvp",
        lambda index: {"answer": "going"},
    )
    with cluster.engine.connect() as connection:
        counts = dict(connection.execute(COUNTS, {"event": event_id}).mappings().one())
    checks.check(
        f"the event's counters are exact: {CAPACITY} going, the rest in one unbroken line",
        RushRun(timings, counts).exact,
        str(counts),
    )
    return rushers


def vote_rush(cluster, checks):
    before = poll_counts(cluster.engine)
    options = list(before["options"])
    voters = members_without(cluster.engine, NOT_VOTED, {"poll": BIG_POLL_ID}, VOTERS)

    def form_of(index):
        return {"option": options[index % len(options)]}

    timings = rush_through(
        cluster,
        checks,
        KillAndRestart(cluster.nodes[1], cluster.workers[1]),
        voters,
        "vote",
        f"/polls/{BIG_POLL_ID}",
        f"/polls/{BIG_POLL_ID}/vote",
        form_of,
    )
    given = Counter(form_of(index)["option"] for index in range(VOTERS))
    result = VoteRushResult(timings, before, poll_counts(cluster.engine), given)
    checks.check(
        "the poll's counters are exact: one more voter each, every option its votes",
        result.exact,
        f"voters {before['voter_count']} -> {result.after['voter_count']}",
    )


def every_email_once(cluster, checks, rushers):
    """Every outbox row sent, each received once by its Message-ID, nothing else received;
    the newcomer's two and a confirmation for each rusher among them."""

    def settled():
        waiting = "SELECT count(*) FROM outbox_messages WHERE state IN ('pending', 'sending')"
        return cluster.value(waiting) == 0

    wait_for(settled, MAIL_WAIT_SECONDS, every=1)
    with cluster.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT message_id, recipient, state, attempts FROM outbox_messages")
        ).all()
    received = Counter(message["Message-ID"] for message in cluster.smtp_messages())
    states = Counter(row.state for row in rows)
    promised = {row.message_id for row in rows}
    twice = {mid: n for mid, n in received.items() if n > 1}
    checks.check(
        "every email the outbox promised was sent, and received exactly once",
        set(states) == {"sent"} and set(received) == promised and not twice,
        f"{len(rows)} promised ({dict(states)}), {sum(received.values())} received, "
        f"{len(set(received) - promised)} not promised, {len(promised - set(received))} "
        f"missing, {len(twice)} twice; "
        f"{sum(1 for row in rows if row.attempts > 1)} sent again after their first try stopped",
    )
    by_recipient = Counter(row.recipient for row in rows)
    checks.check(
        "the newcomer's verification and answer, and each rusher's confirmation, among them",
        by_recipient[NEWCOMER] >= 2 and all(by_recipient[email] >= 1 for email in rushers),
        f"newcomer {by_recipient[NEWCOMER]}, rushers without one: "
        f"{sum(1 for email in rushers if not by_recipient[email])}",
    )


def main():
    checks = Checks()
    server = os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    redis_url = os.environ.get("SCALE_REDIS_URL", "redis://127.0.0.1:6379/11")
    log_dir = tempfile.mkdtemp(prefix="hearth-scale-")
    print(f"logs in {log_dir}", flush=True)
    with Cluster(server, redis_url, log_dir) as cluster:
        the_journey(cluster, checks)
        live_across_nodes(cluster, checks)
        prober = Prober(cluster.port)
        prober.start()
        rushers = rsvp_rush(cluster, checks)
        vote_rush(cluster, checks)
        prober.stop()
        checks.check(
            "pages read through the balancer all along: 200, or retriable (502/503, or cut off)",
            set(prober.statuses) <= {200, *RETRIABLE} and prober.statuses[200] > 0,
            str(dict(prober.statuses)),
        )
        every_email_once(cluster, checks, rushers)
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
