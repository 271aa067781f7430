"""`make bench` keeps each run's table in a dated file, with the commit, the machine and its
load: written here from a small made-up run into a folder of the test's own."""

import datetime
import os
import re
from types import SimpleNamespace

import pytest

from benchmarks import results
from benchmarks.bench import summarise
from benchmarks.pages import BASELINE, STACK, Page
from benchmarks.report import format_report, target_verdict

STARTED = datetime.datetime(2026, 11, 25, 5, 30, 12, tzinfo=datetime.UTC)
MACHINE = {"cores": "2", "memory": "23.5 GiB", "kernel": "6.1.0-test"}
INSTANCES = [
    SimpleNamespace(scale=1.0, seed_seconds=7),
    SimpleNamespace(scale=10.0, seed_seconds=67),
]


def wrk_run(rps, cpu_ms):
    return {"rps": rps, "p50": 2.5, "p99": 4.0, "errors": 0, "cpu_ms": cpu_ms, "requests": 3000}


def made_up_rounds():
    """Three rounds of the stack, Hearth's baseline and the home page at two scales, as
    benchmarks.bench's load_all collects them: (runs, pairs) by (page, scale)."""
    runs, pairs = {}, {}
    # Per round: the stack's, the baseline's and the home page's processor time (ms).
    rounds = [(1.0, 1.25, 2.0), (1.1, 1.3, 2.0), (0.9, 1.2, 1.9)]
    for scale in (1.0, 10.0):
        for stack_ms, base_ms, home_ms in rounds:
            for name, ms in ((BASELINE, base_ms), ("home, anonymous", home_ms)):
                stack, page = wrk_run(1500, stack_ms), wrk_run(1500 * stack_ms / ms, ms)
                runs.setdefault((STACK, scale), []).append(stack)
                runs.setdefault((name, scale), []).append(page)
                pairs.setdefault((name, scale), []).append((stack, page))
    return runs, pairs


def made_up_run():
    """Three pages at two scales, as benchmarks.bench hands them to the report."""
    pages = [
        Page(STACK, "/_stack/"),
        Page(BASELINE, "/_bench/baseline"),
        Page("home, anonymous", "/", target=0.7),
    ]
    probes = {}
    for page in pages:
        for instance in INSTANCES:
            probes[page.name, instance.scale] = {
                "status": 200,
                "timed_out": False,
                "seconds": 0.01,
                "queries": "1",
                "bytes": 4096,
            }
    run = {
        "commit": "4f5d343",
        "cores": 2,
        "seconds": 3,
        "reps": 3,
        "slow_seconds": 2,
        "load_before": (0.7, 0.5, 0.4),
        "load_after": (2.6, 1.2, 0.6),
        "elapsed": 558,
        "stack": STACK,
    }
    rushes = [("RSVP rush", 1.0, "3 runs of 50, counts exact in every run")]
    measured = summarise(*made_up_rounds())
    return format_report(pages, INSTANCES, probes, measured, run, rushes)


def test_each_ratio_is_taken_per_round_against_the_stack_and_the_baseline():
    found = summarise(*made_up_rounds())
    home = found["home, anonymous", 1.0]
    # The stack's time over the page's, per round: 0.5, 0.55, 0.47...
    assert home["by_cpu"] == {"median": 0.5, "low": 0.9 / 1.9, "high": 0.55}
    assert home["cpu_ms"] == 2.0
    # Against Hearth's baseline in the same rounds: its time over the page's, per round
    # 1.25 / 2.0, 1.3 / 2.0 and 1.2 / 1.9, whose median is the last.
    assert home["vs_baseline"]["median"] == pytest.approx(1.2 / 1.9)
    assert found[STACK, 1.0]["cpu_ms"] == 1.0


def test_a_target_holds_misses_or_is_unsure_by_the_spread_of_the_rounds():
    page = Page("home", "/", target=0.7)

    def verdict(low, median, high):
        ratio = {"by_cpu": {"median": median, "low": low, "high": high}}
        return target_verdict(page, INSTANCES, {("home", 1.0): ratio, ("home", 10.0): ratio})

    assert verdict(0.78, 0.8, 0.82) == ">= 0.7: holds"
    assert verdict(0.4, 0.5, 0.55) == ">= 0.7: misses at 1, 10"
    # A spread wider than the distance to the target: the run cannot tell.
    assert verdict(0.6, 0.72, 0.8) == ">= 0.7: unsure at 1 (spread 0.20), 10 (spread 0.20)"
    assert target_verdict(Page("no target", "/"), INSTANCES, {}) == ""


def test_a_run_is_kept_in_a_file_named_by_its_start_headed_by_its_commit(tmp_path):
    table, lines = made_up_run()

    path = results.write(
        table,
        commit="4f5d343",
        started=STARTED,
        load_start=(0.7, 0.5, 0.4),
        load_end=(2.6, 1.2, 0.6),
        lines=lines,
        machine=MACHINE,
        directory=tmp_path / "results",
    )

    assert path == tmp_path / "results" / "2026-11-25T0530.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# `make bench` at 4f5d343, 2026-11-25 05:30 UTC\n")
    assert "| commit | 4f5d343 |" in text
    assert "| machine | 2 cores (nproc), 23.5 GiB memory, kernel 6.1.0-test |" in text
    assert "| load average at start | 0.70, 0.50, 0.40 (1, 5, 15 min) |" in text
    assert "| load average at end | 2.60, 1.20, 0.60 (1, 5, 15 min) |" in text
    assert table in text
    row = "| 750 | 2.5 | 4.0 | 1 | 4.0 | 2.00 | 0.50 (0.47-0.55) | 0.50 | 0.63 |"
    assert f"| home, anonymous {row}{row[1:]} +0% | >= 0.7: misses at 1, 10 |" in text
    assert "| stack only | 1,500 | 2.5 | 4.0 | 1 | 4.0 | 1.00 | 1.00 | 1.00 |  |" in text
    assert "its baseline page runs at 0.80 of the stack's by processor time" in text
    assert "- RSVP rush at scale 1: 3 runs of 50, counts exact in every run" in text


def test_a_second_run_in_the_same_minute_keeps_the_first(tmp_path):
    kept = [
        results.write(
            f"| page |\n|---|\n| run {n} |",
            commit="4f5d343",
            started=STARTED,
            load_start=(0.1, 0.1, 0.1),
            load_end=(0.2, 0.2, 0.2),
            machine=MACHINE,
            directory=tmp_path,
        )
        for n in (1, 2)
    ]

    assert [path.name for path in kept] == [
        "2026-11-25T0530.md",
        "2026-11-25T0530-2.md",
    ]
    assert "| run 1 |" in kept[0].read_text(encoding="utf-8")
    assert "| run 2 |" in kept[1].read_text(encoding="utf-8")


def test_notes_come_before_the_table_and_missing_loads_say_so(tmp_path):
    path = results.write(
        "| page |\n|---|\n| baseline |",
        commit="",
        started=STARTED,
        load_start=(0.7,),
        load_end=None,
        notes=["Transcribed from the README."],
        machine=MACHINE,
        directory=tmp_path,
    )

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# `make bench` at unknown, 2026-11-25 05:30 UTC\n")
    assert "| load average at start | 0.70 (1 min) |" in text
    assert "| load average at end | not recorded |" in text
    assert text.index("Transcribed from the README.") < text.index("| baseline |")


def test_the_machine_is_described_as_nproc_meminfo_and_uname_see_it():
    machine = results.this_machine()

    assert machine["cores"] == str(len(os.sched_getaffinity(0)))
    assert machine["memory"].endswith(" GiB")
    assert machine["kernel"] == os.uname().release


# An absolute folder of the machine a run was made on (its temporary logs, a home, a
# checkout): a kept file is committed, and such a path means nothing anywhere else.
MACHINE_PATH = re.compile(r"(?<![\w.~$-])/(?:tmp|home|root|work|var|srv|opt|Users)/")


def test_no_kept_run_names_a_folder_of_the_machine_it_ran_on():
    kept = sorted(results.RESULTS.glob("*.md"))
    assert kept, "no kept run to read"
    named = [
        f"{path.name}: {line}"
        for path in kept
        for line in path.read_text(encoding="utf-8").splitlines()
        if MACHINE_PATH.search(line)
    ]
    assert named == []
    # The pattern finds what every kept file carried before.
    assert MACHINE_PATH.search("are not loaded. Logs: /tmp/hearth-bench-c0cxmq8p")
