"""How fast a worker process empties a queue of emails, plain RQ worker against ours.

Needs a Redis to use (REDIS_URL, a scratch database: the queue is emptied); writes to a
temporary outbox, never to SMTP. Prints seconds per worker class; asserts nothing.

    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python benchmarks/mail_worker.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from webapp import create_app
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.outbox.services import add_message

EMAILS = int(os.environ.get("EMAILS", "20"))
WORKER_CLASSES = ("rq.worker.Worker", "webapp.jobs.worker.HearthWorker")


def main():
    redis_url = os.environ.get("REDIS_URL") or sys.exit("Set REDIS_URL to a scratch Redis.")
    scratch = Path(tempfile.mkdtemp(prefix="hearth-bench-"))
    settings = {
        "HEARTH_ENV": "test",
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}",
        "REDIS_URL": redis_url,
        "QUEUE_NAME": "hearth-bench",
        "MAIL_OUTBOX_DIR": str(scratch / "outbox"),
        "LOG_LEVEL": "ERROR",
    }
    app = create_app(
        {
            "HEARTH_ENV": "test",
            "SQLALCHEMY_DATABASE_URI": settings["DATABASE_URL"],
            "REDIS_URL": redis_url,
            "QUEUE_NAME": settings["QUEUE_NAME"],
            "JOBS_ASYNC": True,
        }
    )
    with app.app_context():
        upgrade()
    rq = Path(sys.executable).parent / "rq"
    for worker_class in WORKER_CLASSES:
        with app.app_context():
            queue = get_queue()
            queue.empty()
            # Outbox rows, queued by id when they commit, as the web process does.
            for number in range(EMAILS):
                add_message("benchmark", "reader@example.org", f"Benchmark {number}", "Hello")
            db.session.commit()
        started = time.perf_counter()
        subprocess.run(  # noqa: S603  (our own rq, our own arguments)
            [
                str(rq),
                "worker",
                "--burst",
                "--worker-class",
                worker_class,
                "--url",
                redis_url,
                "--quiet",
                settings["QUEUE_NAME"],
            ],
            env={**os.environ, **settings},
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        print(
            f"{worker_class:28} {EMAILS} emails in {seconds:6.2f} s "
            f"({seconds / EMAILS * 1000:5.0f} ms each, worker start included)"
        )


if __name__ == "__main__":
    main()
