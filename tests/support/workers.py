"""The Procfile's job worker as a real process, pointed at the test services."""

import os
import sys
from pathlib import Path

from webapp.jobs import worker_queue_names


def worker_env(app):
    """A worker's environment as in production, pointing at the test services."""
    return {
        **os.environ,
        "HEARTH_ENV": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "QUEUE_NAME": app.config["QUEUE_NAME"],
        "MAIL_SERVER": app.config["MAIL_SERVER"],
        "MAIL_PORT": str(app.config["MAIL_PORT"]),
        "BASE_URL": app.config["BASE_URL"],
    }


def rq_worker_command(app, *flags, redis_url=None):
    """`rq worker` with Hearth's worker class on app's queues, as the Procfile runs it."""
    return [
        str(Path(sys.executable).parent / "rq"),
        "worker",
        *flags,
        "--worker-class",
        "webapp.jobs.worker.HearthWorker",
        "--url",
        redis_url or app.config["REDIS_URL"],
        *worker_queue_names(app.config["QUEUE_NAME"]),
    ]
