"""Processor time per request: what the web workers and the PostgreSQL backends of one
instance spent during a run, read from /proc, divided by the requests done. On a shared
machine it moves far less than requests per second, which also count the time a process
waited for a core another one held."""

import os
from pathlib import Path

import psycopg

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """/proc/<pid>/stat's fields after the command's name (which may hold spaces), or None
    for a process gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text.rsplit(")", 1)[1].split()


def process_seconds(pid):
    """User and system time the process has used, in seconds (0 once it is gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # After the name: state, ppid, ... utime is the 12th, stime the 13th.
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(entry.name)
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """The processes that serve one instance: gunicorn's workers and the PostgreSQL
    backends connected to its database (the stack baseline's pool included)."""

    def __init__(self, gunicorn_pid, database, postgres_url):
        self.gunicorn_pid = gunicorn_pid
        self.database = database
        self.connection = psycopg.connect(postgres_url, autocommit=True)

    def pids(self):
        backends = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self.database,),
        ).fetchall()
        return [*children_of(self.gunicorn_pid), *(pid for (pid,) in backends)]

    def sample(self):
        return {pid: process_seconds(pid) for pid in self.pids()}

    @staticmethod
    def spent(before, after):
        """Seconds used between two samples; a process that started meanwhile, all its own
        (a worker gone meanwhile is lost: gunicorn restarts none during a run)."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def close(self):
        self.connection.close()
