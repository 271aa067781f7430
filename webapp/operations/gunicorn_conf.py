"""gunicorn's settings, from the environment: `gunicorn -c python:webapp.operations.gunicorn_conf
wsgi:app` (the Procfile and the image run it so). Flags on the command line still win.

PORT (8000), WEB_CONCURRENCY (2 worker processes; one per core served these pages best),
GUNICORN_TIMEOUT (30 s), and PROMETHEUS_MULTIPROC_DIR for /metrics across workers.
"""

import os
from pathlib import Path

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Several instances on one machine (tests, benchmarks, containers) must not share one.
control_socket_disable = True
# Access lines come from the app's own request log (with its request id).
accesslog = None


def on_starting(server):
    """Counts left by the workers of an earlier run are not this run's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # prometheus_client's files only: the setting could name a folder with others.
        for left in Path(folder).glob("*.db"):
            left.unlink(missing_ok=True)


def post_worker_init(worker):
    """Each worker compiles the templates and freezes what it loaded before it takes its
    first request (webapp/operations/warm_up.py)."""
    from webapp.operations.warm_up import warm_up

    warm_up(worker.wsgi)


def child_exit(server, worker):
    """A worker that exits leaves its counters behind; its live gauges go with it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
