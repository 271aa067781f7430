"""`make bench`: today's pages beside the stack's own limit, at 1x and 10x the data.

Seeds one scratch PostgreSQL database per scale, serves each with gunicorn as production
does (sync workers, one per core), logs in a seeded owner, then loads every page of
benchmarks/pages.py with wrk: page A, B, C... at each scale, each right after a run of
its baseline page, then the same again. Prints per page and scale: req/s, p50, p99, SQL
statements per request, and req/s as a ratio of the baseline page (the median of the
pairs); last, how that ratio moves from the first scale to the next. The same table is
kept in benchmarks/results/<UTC start>.md with the commit, the machine and its load
(benchmarks/results.py).

Settings (environment): BENCH_SCALES (1,10), BENCH_SECONDS per run (3), BENCH_REPS (2),
BENCH_SLOW_SECONDS (2: a page slower than this for one request is not loaded),
BENCH_REDIS_URL (redis://127.0.0.1:6379/8; each scale takes a database of its own from
that number up, flushed), BENCH_POSTGRES (the server's
postgres database URL), BENCH_KEEP=1 keeps the databases.
"""

import datetime
import os
import statistics
import subprocess
import tempfile
import time
import urllib.parse

import redis

from benchmarks import results as kept_results
from benchmarks.load import live_path, next_path, probe, run_wrk
from benchmarks.pages import PAGES
from benchmarks.report import print_report
from benchmarks.rush import rush
from benchmarks.servers import ROOT, Instance
from benchmarks.vote_rush import vote_rush
from webapp.seed import OWNER_EMAIL, SEED_PASSWORD

SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
# 3 s for each page and for the baseline run before it: enough for a steady median, and
# short enough that a fresh clone runs the whole bench, seeding and rushes included,
# while one waits for it.
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
REPS = int(os.environ.get("BENCH_REPS", "2"))
SLOW_SECONDS = float(os.environ.get("BENCH_SLOW_SECONDS", "2"))
PROBE_TIMEOUT = 20.0
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
CORES = os.cpu_count() or 1
# Run after the pages, in this order, each at every scale: they change what pages show.
RUSHES = (("RSVP rush", rush), ("Vote rush", vote_rush))


def redis_database(url, index):
    """url's Redis database moved up by index: each scale's instance has its own, as each
    site has. Sharing one, the scales' polls and events of the same id shared live topics
    whose versions are their rows' (webapp.live), and their users' rate limits."""
    parts = urllib.parse.urlsplit(url)
    number = int(parts.path.strip("/") or 0) + index
    return urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))


def say(message):
    print(f"==> {message}", flush=True)


def probe_all(instances):
    """One request per page and scale: does it answer as it should, how many queries, how
    fast. Also settles each page's path (a live part's holds the version shown now, a
    page reached by Next the key it follows)."""
    probes = {}
    for page in PAGES:
        for instance in instances:
            if page.live_of:
                path = live_path(instance.port, page, instance.cookie)
            elif page.next_of:
                path = next_path(instance.port, page, instance.cookie)
            else:
                path = page.path
            found = probe(instance.port, page, instance.cookie, PROBE_TIMEOUT, path)
            found["path"] = path
            probes[page.name, instance.scale] = found
            if found["timed_out"]:
                say(f"{page.name} at scale {instance.scale:g}: no answer in {PROBE_TIMEOUT:g} s")
                instance.restart()
            elif found["status"] != page.expect:
                say(f"{page.name} at scale {instance.scale:g}: status {found['status']}")
    return probes


def measurable(page, found):
    return found["status"] == page.expect and found["seconds"] <= SLOW_SECONDS


def load_all(instances, probes):
    """REPS rounds; in each, every page at every scale for SECONDS, each right after a
    run of its baseline at that scale. A page's ratio to the baseline is the median of
    these pairs: this machine's speed drifts within minutes, and a baseline measured
    seconds before the page shares the page's moment, where one median over the whole
    run did not (the same commit gave ratios far apart in two runs)."""
    by_name = {page.name: page for page in PAGES}
    runs = {key: [] for key in probes}
    ratios = {key: [] for key in probes}

    def load(page, instance):
        found = probes[page.name, instance.scale]
        if not measurable(page, found):
            return None
        result = run_wrk(
            instance.port, page, instance.cookie, SECONDS, 2 * CORES, CORES, found["path"]
        )
        # Requests wrk left in flight finish before the next run starts.
        time.sleep(min(2 * result["p99"] / 1000, 10))
        if not result["requests"]:
            return None
        runs[page.name, instance.scale].append(result)
        return result

    for rep in range(1, REPS + 1):
        say(f"rep {rep} of {REPS}: each page at {len(instances)} scales after its baseline")
        for page in PAGES:
            if page.name == page.baseline:
                continue  # measured beside every page
            for instance in instances:
                base = load(by_name[page.baseline], instance)
                measured = load(page, instance) if base else None
                if measured:
                    ratios[page.name, instance.scale].append(measured["rps"] / base["rps"])
    return {
        key: {
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
            "p99": statistics.median(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "ratio": statistics.median(ratios[key]) if ratios[key] else None,
        }
        for key, results in runs.items()
        if results
    }


def git(*args):
    # Our own fixed arguments, never input.
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def current_commit():
    """The short commit, marked when tracked files differ from it: such a run measured
    code that no commit holds."""
    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        return f"{commit}+changes"
    return commit


def main():
    started = time.monotonic()
    started_at = datetime.datetime.now(datetime.UTC)
    commit = current_commit()
    load_before = os.getloadavg()
    log_dir = tempfile.mkdtemp(prefix="hearth-bench-")
    instances = [
        Instance(scale, redis_database(REDIS_URL, index), CORES, log_dir)
        for index, scale in enumerate(SCALES)
    ]
    try:
        for instance in instances:
            say(f"seeding a scratch database at scale {instance.scale:g} ({instance.database})")
            instance.prepare()
            say(f"seeded in {instance.seed_seconds:.0f} s")
        for instance in instances:
            redis.Redis.from_url(instance.redis_url).flushdb()
        for instance in instances:
            instance.start()
            instance.log_in(OWNER_EMAIL, SEED_PASSWORD)
        say(f"gunicorn: {CORES} sync workers per scale; wrk: {2 * CORES} connections")
        probes = probe_all(instances)
        results = load_all(instances, probes)
        # Last: the rushes change the big event's waitlist and the big poll's results,
        # which the pages above show.
        rushes = []
        for name, run_rush in RUSHES:
            for instance in instances:
                say(f"the {name.lower()} at scale {instance.scale:g}")
                try:
                    line = run_rush(instance.port, instance.database_url).line()
                except Exception as error:  # noqa: BLE001  (the table above is still worth printing)
                    line = f"failed: {error!r}"
                rushes.append((name, instance.scale, line))
    finally:
        for instance in instances:
            if os.environ.get("BENCH_KEEP") == "1":
                instance.stop()
            else:
                instance.drop()
    load_after = os.getloadavg()
    table, lines = print_report(
        PAGES,
        instances,
        probes,
        results,
        {
            "commit": commit,
            "cores": CORES,
            "seconds": SECONDS,
            "reps": REPS,
            "slow_seconds": SLOW_SECONDS,
            "load_before": load_before,
            "load_after": load_after,
            "elapsed": time.monotonic() - started,
            "logs": log_dir,
        },
        rushes,
    )
    scales = ", ".join(f"{scale:g}" for scale in SCALES)
    kept = kept_results.write(
        table,
        commit=commit,
        started=started_at,
        load_start=load_before,
        load_end=load_after,
        lines=lines,
        notes=[f"Scales {scales}; {REPS} reps of {SECONDS} s per page (`make bench`)."],
    )
    say(f"kept in {kept.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
