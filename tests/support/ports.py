"""Ports for the servers the tests start (SMTP listeners, gunicorn, nginx, PgBouncer, the
HTML checker), and for addresses where nothing is to listen.

A port the kernel hands out (bound to port 0, then closed) is free only for the moment:
the kernel may give it next as the source port of any connection this machine opens (a
test process's to PostgreSQL or Redis, a browser's), and the server that binds it after
fails with "address already in use". A whole test process's session once failed so, at
its SMTP listener. So ports come from outside the kernel's ephemeral range, which it
never hands to a connection, and each test process (pytest-xdist's gw0, gw1...) takes
them from a share of its own, so that two processes never pick the same one.
"""

import itertools
import os
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
# Linux's default, where the range cannot be read.
DEFAULT_EPHEMERAL = (32768, 60999)
# The first port given out: below it lie well-known services' ports (PostgreSQL's, Redis's,
# a development server's).
LOWEST = 10_000
HIGHEST = 65_535
# Shares of the ports outside the ephemeral range: more than `make test` runs processes.
SHARES = 8


def ephemeral_range():
    """(first, last): the ports the kernel gives connections as their source."""
    try:
        first, last = (int(part) for part in EPHEMERAL_RANGE.read_text().split())
    except (OSError, ValueError):
        return DEFAULT_EPHEMERAL
    return first, last


def process_share(worker=None, ephemeral=None):
    """The ports of this test process (worker: pytest-xdist's name for it, gw0...): a
    share of the larger stretch outside the ephemeral range, below or above it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "") if worker is None else worker
    number = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    first, last = ephemeral or ephemeral_range()
    below = range(LOWEST, max(first, LOWEST))
    above = range(max(last + 1, LOWEST), HIGHEST + 1)
    stretch = max(below, above, key=len)
    size = len(stretch) // SHARES
    start = stretch.start + (number % SHARES) * size
    return range(start, start + size)


def _bindable(port):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _from_this_process_on(share):
    """The share's ports once round, each call to next one on, starting where this
    process's id says: two runs of the suite at once start apart in a process's share."""
    offset = os.getpid() % len(share)
    return itertools.cycle([*share[offset:], *share[:offset]])


# Each call moves on from the last, so that a process never hands out one port twice
# while a server it started may still hold it.
_candidates = _from_this_process_on(process_share())


def free_port():
    """A port of this process's share that nothing holds now, none given before it."""
    for _ in range(len(process_share())):
        port = next(_candidates)
        if _bindable(port):
            return port
    raise RuntimeError("every port of this test process's share is taken")
