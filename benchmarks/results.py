"""Every `make bench` run kept as a file: benchmarks/results/<UTC start>.md.

A table alone says little: this machine's speed moves by a fifth within minutes, and two
runs of the same commit differ by more than many changes do. So each run is written down
with what it ran (the commit), what it ran on (cores, memory, kernel) and how busy the
machine was (its load average at the start and at the end). The docs cite such files and
quote no figures of their own; a run worth citing is committed, the others are left out.

The name is the start time alone: the docs link to the file they cite, and a commit hash
in a doc's link would be one in the doc (they keep none). The commit heads the file.
"""

import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
LOAD_PERIODS = ("1", "5", "15")


def this_machine():
    """What `nproc`, /proc/meminfo and `uname -r` say about the machine running the bench."""
    try:
        cores = len(os.sched_getaffinity(0))  # what nproc counts: the cores this may use
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return {"cores": str(cores), "memory": _memory(), "kernel": platform.release() or "?"}


def _memory():
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return "?"


def file_name(started):
    """2026-11-25T0530.md: UTC, so the files sort by time."""
    return f"{started:%Y-%m-%dT%H%M}.md"


def _load(values):
    """(0.7, 0.5, 0.4) -> "0.70, 0.50, 0.40 (1, 5, 15 min)"; fewer values label fewer periods."""
    if not values:
        return "not recorded"
    shown = ", ".join(f"{value:.2f}" for value in values)
    return f"{shown} ({', '.join(LOAD_PERIODS[: len(values)])} min)"


def render(table, *, commit, started, machine, load_start, load_end, lines=(), notes=()):
    """The file's text: a heading, what ran where, any notes, the table, the run's lines."""
    facts = [
        ("commit", commit or "unknown"),
        ("started", f"{started:%Y-%m-%d %H:%M} UTC"),
        (
            "machine",
            f"{machine['cores']} cores (nproc), {machine['memory']} memory, "
            f"kernel {machine['kernel']}",
        ),
        ("load average at start", _load(load_start)),
        ("load average at end", _load(load_end)),
    ]
    parts = [
        f"# `make bench` at {commit or 'unknown'}, {started:%Y-%m-%d %H:%M} UTC",
        "| | |\n|---|---|\n" + "\n".join(f"| {name} | {value} |" for name, value in facts),
        *notes,
        table.strip(),
    ]
    if lines:
        parts.append("\n".join(f"- {line}" for line in lines))
    return "\n\n".join(parts) + "\n"


def write(
    table,
    *,
    commit,
    started,
    load_start,
    load_end,
    lines=(),
    notes=(),
    machine=None,
    directory=RESULTS,
):
    """Write one run's file under directory and return its path; never overwrite another."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    text = render(
        table,
        commit=commit,
        started=started,
        machine=machine or this_machine(),
        load_start=load_start,
        load_end=load_end,
        lines=lines,
        notes=notes,
    )
    path = directory / file_name(started)
    number = 2
    while path.exists():
        path = directory / file_name(started).replace(".md", f"-{number}.md")
        number += 1
    path.write_text(text, encoding="utf-8")
    return path
