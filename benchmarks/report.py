"""The table `make bench` prints: Markdown, the same text benchmarks.results keeps in a file."""

import time


def _number(value, digits=0):
    return f"{value:,.{digits}f}"


def _cells(page, instance, probes, results, run):
    """req/s, p50, p99, SQL, KB, x baseline for one page at one scale."""
    found = probes[page.name, instance.scale]
    measured = results.get((page.name, instance.scale))
    queries = found.get("queries") or "?"
    size = _number(found["bytes"] / 1024, 1) if found.get("bytes") is not None else "?"
    if found["timed_out"]:
        return [f"no answer in {found['seconds']:g} s", "", "", "?", "?", ""]
    if found["status"] != page.expect:
        return [f"status {found['status']}", "", "", queries, size, ""]
    if measured is None and found["seconds"] > run["slow_seconds"]:
        # Too slow to load for seconds without spilling into the next page's run.
        return [f"not loaded: 1 request {found['seconds']:.1f} s", "", "", queries, size, ""]
    if measured is None:
        return [f"no request done in {run['seconds']} s", "", "", queries, size, ""]
    if page.name == page.baseline:
        ratio = "1.00"
    else:
        ratio = f"{measured['ratio']:.2f}" if measured.get("ratio") else "?"
    errors = f" ({measured['errors']} errors)" if measured["errors"] else ""
    return [
        _number(measured["rps"], 0 if measured["rps"] >= 100 else 1) + errors,
        _number(measured["p50"], 1),
        _number(measured["p99"], 1),
        queries,
        size,
        ratio,
    ]


def _change(page, first, other, results):
    """How the page's ratio to the baseline moves with the data (raw req/s for baselines)."""
    now, later = results.get((page.name, first.scale)), results.get((page.name, other.scale))
    if not now or not later:
        return ""
    if page.name == page.baseline:
        return f"{later['rps'] / now['rps'] - 1:+.0%} (raw)"
    if not now.get("ratio") or not later.get("ratio"):
        return ""
    return f"{later['ratio'] / now['ratio'] - 1:+.0%}"


def format_report(pages, instances, probes, results, run, rushes=None):
    """The table, and the lines that say how the run went: (table, [line, ...])."""
    first, others = instances[0], instances[1:]
    header = ["page"]
    for instance in instances:
        label = f"{instance.scale:g}"
        header += [f"req/s @{label}", "p50 ms", "p99 ms", "SQL", "KB", "x base"]
    header += [f"@{other.scale:g} vs @{first.scale:g}" for other in others]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for page in pages:
        row = [page.name]
        for instance in instances:
            row += _cells(page, instance, probes, results, run)
        row += [_change(page, first, other, results) for other in others]
        table.append("| " + " | ".join(row) + " |")
    cookie_pages = sorted(
        {name for (name, _), found in probes.items() if found.get("sets_cookie")},
        key=[page.name for page in pages].index,
    )
    seeding = ", ".join(f"scale {i.scale:g} {i.seed_seconds:.0f} s" for i in instances)
    lines = [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {run['commit']}, "
        f"{run['cores']} cores, gunicorn {run['cores']} sync workers, wrk "
        f"{2 * run['cores']} connections; median of {run['reps']} reps of {run['seconds']} s, "
        f"each page right after its baseline. Load average {run['load_before'][0]:.1f} before, "
        f"{run['load_after'][0]:.1f} after.",
        f"Seeding: {seeding}. Whole run: {run['elapsed'] / 60:.1f} min. Pages slower than "
        f"{run['slow_seconds']:g} s for one request are not loaded. Logs: {run['logs']}",
    ]
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
