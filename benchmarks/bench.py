"""`make bench`: today's pages beside the stack's own limit, at 1x and 10x the data.

Seeds one scratch PostgreSQL database per scale, serves each with gunicorn as production
does (sync workers, one per core), logs in a seeded owner, then loads every page of
benchmarks/pages.py with wrk, in rounds: in each, page A, B, C... at each scale, each
right after a run of the stack-only baseline (a minimal Flask app beside Hearth in the
same workers: webapp/operations/stack_baseline.py). Prints per page and scale: req/s,
p50, p99, SQL statements and processor time per request (web workers and PostgreSQL
backends, from /proc), and the page's ratio to the stack by processor time (the median
of the rounds, with the lowest and highest), by req/s, and to Hearth's own baseline;
whether the page's target holds beyond the spread of its ratio; last, how the ratio
moves from the first scale to the next. The same table is kept in
benchmarks/results/<UTC start>.md with the commit, the machine and its load
(benchmarks/results.py).

Settings (environment): BENCH_SCALES (1,10), BENCH_SECONDS per run (3), BENCH_REPS
(rounds, 5), BENCH_SLOW_SECONDS (2: a page slower than this for one request is not
loaded), BENCH_REDIS_URL (redis://127.0.0.1:6379/8; each scale takes a database of its
own from that number up, flushed), BENCH_POSTGRES (the server's postgres database URL),
BENCH_KEEP=1 keeps the databases.
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
from benchmarks.cpu import CpuMeter
from benchmarks.load import live_path, next_path, probe, run_wrk
from benchmarks.pages import PAGES, STACK
from benchmarks.report import print_report
from benchmarks.rush import rush
from benchmarks.servers import POSTGRES, ROOT, Instance
from benchmarks.vote_rush import vote_rush
from webapp.seed import OWNER_EMAIL, SEED_PASSWORD

SCALES = [float(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
# 3 s for each page and for the baseline run before it: enough for a steady median, and
# short enough that a fresh clone runs the whole bench, seeding and rushes included,
# while one waits for it.
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
# Five rounds at least: each ratio's lowest and highest say how far to trust it.
REPS = int(os.environ.get("BENCH_REPS", "5"))
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


def load_all(instances, probes, meters):
    """REPS rounds; in each, every page at every scale for SECONDS, each right after a
    run of the stack-only baseline at that scale. A page's ratios to the stack are taken
    per round, of the pair: this machine's speed drifts within minutes, and a baseline
    measured seconds before the page shares the page's moment. Each run's processor time
    per request is read from /proc (benchmarks/cpu.py)."""
    stack = next(page for page in PAGES if page.name == STACK)
    runs = {key: [] for key in probes}
    pairs = {key: [] for key in probes}

    def load(page, instance):
        found = probes[page.name, instance.scale]
        if not measurable(page, found):
            return None
        meter = meters[instance.scale]
        before = meter.sample()
        result = run_wrk(
            instance.port, page, instance.cookie, SECONDS, 2 * CORES, CORES, found["path"]
        )
        # Requests wrk left in flight finish before the next run starts.
        time.sleep(min(2 * result["p99"] / 1000, 10))
        if not result["requests"]:
            return None
        result["cpu_ms"] = meter.spent(before, meter.sample()) * 1000 / result["requests"]
        return result

    for rep in range(1, REPS + 1):
        say(f"round {rep} of {REPS}: each page at {len(instances)} scales after the stack's")
        for page in PAGES:
            if page is stack:
                continue  # measured beside every page
            for instance in instances:
                base = load(stack, instance)
                measured = load(page, instance) if base else None
                if measured:
                    runs[stack.name, instance.scale].append(base)
                    runs[page.name, instance.scale].append(measured)
                    pairs[page.name, instance.scale].append((base, measured))
    return summarise(runs, pairs)


def _range(values):
    """The median, lowest and highest of values, or None for none."""
    if not values:
        return None
    return {"median": statistics.median(values), "low": min(values), "high": max(values)}


def summarise(runs, pairs):
    """Per page and scale: medians of req/s, latencies and processor time per request,
    the errors, and the ratios to the stack's run of the same round (by processor time:
    the stack's time over the page's; by req/s: the page's over the stack's), with their
    lowest and highest; and the ratio by processor time to Hearth's own baseline (logged
    in or not alike), of the same rounds."""
    found = {}
    for key, results in runs.items():
        if not results:
            continue
        round_pairs = pairs.get(key, [])
        found[key] = {
            "rps": statistics.median(r["rps"] for r in results),
            "p50": statistics.median(r["p50"] for r in results),
            "p99": statistics.median(r["p99"] for r in results),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "by_cpu": _range([b["cpu_ms"] / m["cpu_ms"] for b, m in round_pairs if m["cpu_ms"]]),
            "by_rps": _range([m["rps"] / b["rps"] for b, m in round_pairs]),
            "by_cpu_rounds": [b["cpu_ms"] / m["cpu_ms"] for b, m in round_pairs if m["cpu_ms"]],
        }
    by_name = {page.name: page for page in PAGES}
    for (name, scale), summary in found.items():
        baseline = found.get((by_name[name].baseline, scale))
        if baseline is None or name in (STACK, by_name[name].baseline):
            continue
        rounds = zip(summary["by_cpu_rounds"], baseline["by_cpu_rounds"], strict=False)
        summary["vs_baseline"] = _range([page / base for page, base in rounds])
    return found


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
        meters = {
            instance.scale: CpuMeter(instance.process.pid, instance.database, POSTGRES)
            for instance in instances
        }
        try:
            results = load_all(instances, probes, meters)
        finally:
            for meter in meters.values():
                meter.close()
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
            "stack": STACK,
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
        notes=[f"Scales {scales}; {REPS} rounds of {SECONDS} s per page (`make bench`)."],
    )
    # The logs' folder is this machine's: said here, never in the kept file.
    say(f"kept in {kept.relative_to(ROOT)}; logs in {log_dir}")


if __name__ == "__main__":
    main()
