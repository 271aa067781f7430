"""RQ queue access and the jobs. Each job runs inside an app context of its own."""

import contextlib
import email.policy
import logging
import re
import time
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, has_app_context
from rq import Queue, Retry, Worker
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.redis_client import get_redis

log = logging.getLogger("hearth.jobs")

# Seconds between delivery attempts: a short blip first, then an SMTP outage.
RETRY_INTERVALS = [10, 60, 300, 900, 3600]
SENT_KEY_TTL = 7 * 24 * 3600

_worker_app = None
_PENDING_JOBS = "hearth_pending_jobs"


def get_queue():
    return Queue(
        current_app.config["QUEUE_NAME"],
        connection=get_redis(),
        is_async=current_app.config["JOBS_ASYNC"],
    )


def enqueue(func_path, *args, **kwargs):
    """Queue a job by its dotted name; without Redis it runs before this returns."""
    return get_queue().enqueue(
        func_path,
        *args,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        # Messages carry single-use links: drop them once sent, keep failures a month.
        result_ttl=0,
        failure_ttl=30 * 24 * 3600,
        **kwargs,
    )


def enqueue_after_commit(func_path, *args):
    """Queue a job once the current transaction commits, so it never sees a rolled-back row."""
    db.session.info.setdefault(_PENDING_JOBS, []).append((func_path, args))


@event.listens_for(Session, "after_commit")
def _enqueue_pending_jobs(session):
    for func_path, args in session.info.pop(_PENDING_JOBS, []):
        enqueue(func_path, *args)


@event.listens_for(Session, "after_rollback")
def _drop_pending_jobs(session):
    session.info.pop(_PENDING_JOBS, None)


def failed_jobs():
    """Jobs that used up their retries, newest first."""
    queue = get_queue()
    job_ids = FailedJobRegistry(queue=queue).get_job_ids()
    jobs = [job for job in Job.fetch_many(job_ids, connection=queue.connection) if job]
    return sorted(
        jobs, key=lambda job: job.ended_at.timestamp() if job.ended_at else 0, reverse=True
    )


@contextlib.contextmanager
def app_context():
    """In the web process the request's app; in a worker, one app built from the environment."""
    if has_app_context():
        yield current_app
        return
    with worker_app().app_context():
        yield _worker_app


def worker_app():
    """The app of a worker process, built once from the environment."""
    global _worker_app
    if _worker_app is None:
        from webapp import create_app

        _worker_app = create_app()
    return _worker_app


class HearthWorker(Worker):
    """An RQ worker that builds the app before it forks, so each job starts at once.

    RQ runs every job in a fresh fork; without this each fork would build the app anew
    (about a second per email on this kind of machine).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app = worker_app()
        # Forks must not share the parent's database connections.
        with app.app_context():
            db.engine.dispose()


def deliver_email(message):
    """Send one message by SMTP, or into the local outbox when no SMTP server is set."""
    with app_context() as app:
        redis = get_redis()
        sent_key = f"hearth:mail:sent:{message['idempotency_key']}"
        if redis.exists(sent_key):
            log.info("mail already sent, skipping: %s", message["subject"])
            return "duplicate"
        if app.config["MAIL_SERVER"]:
            _send_smtp(message)
        else:
            _write_outbox(app, message)
        redis.set(sent_key, 1, ex=SENT_KEY_TTL)
        return "sent"


def _send_smtp(message):
    from flask_mail import Message

    from webapp.extensions import mail

    mail.send(
        Message(
            subject=message["subject"],
            recipients=[message["to"]],
            body=message["text"],
            html=message["html"],
        )
    )


def _write_outbox(app, message):
    """Keep a readable copy on disk and print the text with its links to the console."""
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    email_message = EmailMessage(policy=email.policy.SMTP)
    email_message["From"] = app.config["MAIL_DEFAULT_SENDER"]
    email_message["To"] = message["to"]
    email_message["Subject"] = message["subject"]
    email_message.set_content(message["text"])
    email_message.add_alternative(message["html"], subtype="html")
    slug = re.sub(r"[^a-z0-9]+", "-", message["subject"].lower()).strip("-")[:40]
    path = outbox / f"{time.time_ns()}-{slug}.eml"
    path.write_bytes(email_message.as_bytes())
    banner = "=" * 72
    log.warning(
        "\n%s\nOUTBOX (no MAIL_SERVER set) to %s: %s\n\n%s\n(saved as %s)\n%s",
        banner,
        message["to"],
        message["subject"],
        message["text"].strip(),
        path,
        banner,
    )
