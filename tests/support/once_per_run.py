"""A value worked out once per test run, however many test processes ask for it.

The way pytest-xdist documents for work that every process would otherwise repeat: the
first process to ask works the value out under a file lock in the run's own temporary
folder, and the others wait on the lock and read what it wrote. A later run has a folder
of its own, so nothing carries over from one run to the next."""

import fcntl
import json
import os


def once_per_run(tmp_path_factory, name, work_out):
    """work_out() the first time any of this run's test processes asks for name; what
    that gave, to every later ask, as JSON gives it back (a tuple comes back a list)."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each process has a folder of its own inside the run's.
    run_folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    kept = run_folder / f"{name}.json"
    with open(run_folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if kept.exists():
            return json.loads(kept.read_text())
        # Whole or not at all: a process stopped while writing leaves nothing to read.
        writing = kept.with_suffix(f".{os.getpid()}")
        writing.write_text(json.dumps(work_out()))
        writing.replace(kept)
        return json.loads(kept.read_text())
