"""The table `make bench` prints: Markdown, the same text benchmarks.results keeps in a file.

Per page and scale: req/s, p50 and p99 latency, SQL statements, size, processor time per
request, the ratio to the stack-only baseline by processor time (the median of the rounds,
lowest-highest), by req/s, and by processor time to Hearth's own baseline; then how the
ratio by processor time moves from the first scale to the next, and the page's target."""

import time

from benchmarks.pages import BASELINE, BASELINE_LOGGED_IN

# The growth allowed from one scale to the next, by processor time.
GROWTH_ALLOWED = -0.10


def _number(value, digits=0):
    return f"{value:,.{digits}f}"


def _ratio(found):
    if not found:
        return "?"
    return f"{found['median']:.2f} ({found['low']:.2f}-{found['high']:.2f})"


def _unmeasured(note, queries, size):
    return [note, "", "", queries, size, "", "", "", ""]


def _cells(page, instance, probes, results, run):
    """The cells of one page at one scale."""
    found = probes[page.name, instance.scale]
    measured = results.get((page.name, instance.scale))
    queries = found.get("queries") or "?"
    size = _number(found["bytes"] / 1024, 1) if found.get("bytes") is not None else "?"
    if found["timed_out"]:
        return _unmeasured(f"no answer in {found['seconds']:g} s", "?", "?")
    if found["status"] != page.expect:
        return _unmeasured(f"status {found['status']}", queries, size)
    if measured is None and found["seconds"] > run["slow_seconds"]:
        # Too slow to load for seconds without spilling into the next page's run.
        note = f"not loaded: 1 request {found['seconds']:.1f} s"
        return _unmeasured(note, queries, size)
    if measured is None:
        return _unmeasured(f"no request done in {run['seconds']} s", queries, size)
    is_stack = page.name == run["stack"]
    by_cpu = "1.00" if is_stack else _ratio(measured.get("by_cpu"))
    by_rps = "1.00" if is_stack else (f"{measured['by_rps']['median']:.2f}")
    if is_stack:
        vs_baseline = ""
    elif page.name == page.baseline:
        vs_baseline = "1.00"
    elif "vs_baseline" in measured:
        vs_baseline = f"{measured['vs_baseline']['median']:.2f}"
    else:
        vs_baseline = ""
    errors = f" ({measured['errors']} errors)" if measured["errors"] else ""
    return [
        _number(measured["rps"], 0 if measured["rps"] >= 100 else 1) + errors,
        _number(measured["p50"], 1),
        _number(measured["p99"], 1),
        queries,
        size,
        _number(measured["cpu_ms"], 2),
        by_cpu,
        by_rps,
        vs_baseline,
    ]


def _change(page, first, other, results, run):
    """How the page's ratio to the stack (by processor time) moves with the data: for
    the stack itself, its raw processor time per request."""
    now, later = results.get((page.name, first.scale)), results.get((page.name, other.scale))
    if not now or not later:
        return ""
    if page.name == run["stack"]:
        return f"{now['cpu_ms'] / later['cpu_ms'] - 1:+.0%} (raw)"
    if not now.get("by_cpu") or not later.get("by_cpu"):
        return ""
    change = later["by_cpu"]["median"] / now["by_cpu"]["median"] - 1
    return f"{change:+.0%}" + (" (over 10%)" if change < GROWTH_ALLOWED else "")


def target_verdict(page, instances, results):
    """Whether the page's target holds at every scale, by its ratio to the stack by
    processor time: "unsure" where the ratio's spread over the rounds is wider than its
    distance to the target."""
    if page.target is None:
        return ""
    missed, unsure = [], []
    for instance in instances:
        found = (results.get((page.name, instance.scale)) or {}).get("by_cpu")
        if not found:
            unsure.append(f"{instance.scale:g} (not measured)")
            continue
        spread = found["high"] - found["low"]
        if spread > abs(found["median"] - page.target):
            unsure.append(f"{instance.scale:g} (spread {spread:.2f})")
        elif found["median"] < page.target:
            missed.append(f"{instance.scale:g}")
    verdict = f">= {page.target:.1f}: "
    if missed:
        verdict += f"misses at {', '.join(missed)}"
        return verdict + (f"; unsure at {', '.join(unsure)}" if unsure else "")
    if unsure:
        return verdict + f"unsure at {', '.join(unsure)}"
    return verdict + "holds"


def _plumbing(instance, results):
    """What Hearth's own work per request costs: its baselines against the stack's page."""
    anonymous, logged_in = (
        (results.get((name, instance.scale)) or {}).get("by_cpu")
        for name in (BASELINE, BASELINE_LOGGED_IN)
    )
    if not anonymous:
        return ""
    also = f", {logged_in['median']:.2f} logged in" if logged_in else ""
    return (
        "Hearth's own work per request (session, form token, rate limits, headers, request "
        f"id, log line): its baseline page runs at {anonymous['median']:.2f} of the stack's "
        f"by processor time{also} (scale {instance.scale:g})."
    )


def format_report(pages, instances, probes, results, run, rushes=None):
    """The table, and the lines that say how the run went: (table, [line, ...])."""
    first, others = instances[0], instances[1:]
    header = ["page"]
    for instance in instances:
        label = f"{instance.scale:g}"
        header += [f"req/s @{label}", "p50 ms", "p99 ms", "SQL", "KB", "CPU ms"]
        header += ["x stack, CPU", "x stack, req/s", "x base"]
    header += [f"@{other.scale:g} vs @{first.scale:g}" for other in others]
    header.append("target")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for page in pages:
        row = [page.name]
        for instance in instances:
            row += _cells(page, instance, probes, results, run)
        row += [_change(page, first, other, results, run) for other in others]
        row.append(target_verdict(page, instances, results))
        table.append("| " + " | ".join(row) + " |")
    cookie_pages = sorted(
        {name for (name, _), found in probes.items() if found.get("sets_cookie")},
        key=[page.name for page in pages].index,
    )
    seeding = ", ".join(f"scale {i.scale:g} {i.seed_seconds:.0f} s" for i in instances)
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {run['commit']}, "
        f"{run['cores']} cores, gunicorn {run['cores']} sync workers, wrk "
        f"{2 * run['cores']} connections; {run['reps']} rounds of {run['seconds']} s, each "
        f"page right after the stack-only baseline; medians, and each ratio's lowest and "
        f"highest round. CPU ms: the web workers' and PostgreSQL backends' processor time "
        f"per request. Load average {run['load_before'][0]:.1f} before, "
        f"{run['load_after'][0]:.1f} after.",
        f"Seeding: {seeding}. Whole run: {run['elapsed'] / 60:.1f} min. Pages slower than "
        f"{run['slow_seconds']:g} s for one request are not loaded.",
    ]
    if plumbing := _plumbing(first, results):
        lines.append(plumbing)
    if cookie_pages:
        lines.append("Answers that set a cookie: " + ", ".join(cookie_pages) + ".")
    lines += [f"{name} at scale {scale:g}: {line}" for name, scale, line in rushes or ()]
    return "\n".join(table), lines


def print_report(pages, instances, probes, results, run, rushes=None):
    """Print the table and its lines; return them, for benchmarks.results to keep."""
    table, lines = format_report(pages, instances, probes, results, run, rushes)
    print()
    print(table)
    print()
    for line in lines:
        print(line)
    return table, lines
