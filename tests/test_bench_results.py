"""`make bench` keeps each run's table in a dated file, with the commit, the machine and its
load: written here from a small made-up run into a folder of the test's own."""

import datetime
import os
from types import SimpleNamespace

from benchmarks import results
from benchmarks.pages import BASELINE, Page
from benchmarks.report import format_report

STARTED = datetime.datetime(2026, 11, 25, 5, 30, 12, tzinfo=datetime.UTC)
MACHINE = {"cores": "2", "memory": "23.5 GiB", "kernel": "6.1.0-test"}


def made_up_run():
    """Two pages at two scales, as benchmarks.bench hands them to the report."""
    pages = [Page(BASELINE, "/_bench/baseline"), Page("home, anonymous", "/")]
    instances = [
        SimpleNamespace(scale=1.0, seed_seconds=7),
        SimpleNamespace(scale=10.0, seed_seconds=67),
    ]
    probes, measured = {}, {}
    for page in pages:
        for instance in instances:
            key = page.name, instance.scale
            probes[key] = {
                "status": 200,
                "timed_out": False,
                "seconds": 0.01,
                "queries": "1",
                "bytes": 4096,
            }
            rps = 1500 if page.name == BASELINE else 1100
            measured[key] = {"rps": rps, "p50": 2.5, "p99": 4.0, "errors": 0, "ratio": 0.73}
    run = {
        "commit": "4f5d343",
        "cores": 2,
        "seconds": 3,
        "reps": 2,
        "slow_seconds": 2,
        "load_before": (0.7, 0.5, 0.4),
        "load_after": (2.6, 1.2, 0.6),
        "elapsed": 558,
        "logs": "/tmp/hearth-bench-test",
    }
    rushes = [("RSVP rush", 1.0, "50 of 50 answered, p99 0.162 s, counts exact")]
    return format_report(pages, instances, probes, measured, run, rushes)


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
    assert "| home, anonymous | 1,100 | 2.5 | 4.0 | 1 | 4.0 | 0.73 |" in text
    assert "- RSVP rush at scale 1: 50 of 50 answered, p99 0.162 s, counts exact" in text


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
