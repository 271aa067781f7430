"""RQ queue access and the jobs. Each job runs inside an app context of its own."""

import contextlib
import json
import logging
import time

import sqlalchemy as sa
from flask import current_app, has_app_context
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from webapp.extensions import db
from webapp.redis_client import get_redis
from webapp.request_ids import bind_request_id, current_request_id, unbind_request_id
from webapp.warm_up import warm_up

log = logging.getLogger("hearth.jobs")

# Seconds between delivery attempts: a short blip first, then an SMTP outage.
RETRY_INTERVALS = [10, 60, 300, 900, 3600]

_worker_app = None
_PENDING_JOBS = "hearth_pending_jobs"
_PLANNED_JOBS = "hearth_planned_jobs"
RUN_NOW = "now"
# What one sweep of a scheduled email handles; the next sweep takes the rest.
SWEEP_BATCH = 100
_last_in_process_sweep = None


def get_queue():
    return Queue(
        current_app.config["QUEUE_NAME"],
        connection=get_redis(),
        is_async=current_app.config["JOBS_ASYNC"],
    )


def enqueue(func_path, *args, **kwargs):
    """Queue a job by its dotted name; without Redis it runs before this returns."""
    kwargs.setdefault("retry", Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))
    queue = get_queue()
    # Results are not read; keep failures a month for `flask failed-jobs`.
    kwargs.update(result_ttl=0, failure_ttl=30 * 24 * 3600, meta=_job_meta())
    if not queue.is_async:
        return queue.enqueue(func_path, *args, **kwargs)
    # One round trip to Redis, not two (RQ's own enqueue sends the queue's name first).
    with queue.connection.pipeline() as pipeline:
        job = queue.enqueue(func_path, *args, pipeline=pipeline, **kwargs)
        pipeline.execute()
    return job


def _job_meta():
    """What a job carries from the request that queued it: its id, for the logs."""
    request_id = current_request_id()
    return {"request_id": request_id} if request_id else {}


def enqueue_delivery(message_id):
    """Queue the delivery of one outbox row; its SMTP retries are the outbox's, not RQ's."""
    # Shorter than the claim's lease: a slow send is stopped before the sweep would hand
    # the same message to another worker.
    job_timeout = max(1, current_app.config["OUTBOX_CLAIM_TIMEOUT"] - 5)
    return enqueue("webapp.jobs.deliver_email", message_id, job_timeout=job_timeout)


def enqueue_after_commit(func_path, *args):
    """Queue a job once the current transaction commits, so it never sees a rolled-back row.
    An argument may be a row not yet flushed: the job gets its key, known by then."""
    db.session.info.setdefault(_PENDING_JOBS, []).append((func_path, args))


def _keys_of_rows(args):
    """args with each row as its primary key; None when a row was never written."""
    keys = []
    for arg in args:
        if hasattr(arg, "__mapper__"):
            identity = sa.inspect(arg).identity
            if identity is None:
                return None
            arg = identity[0]
        keys.append(arg)
    return tuple(keys)


def plan_job(job_id, func_path, *args, at):
    """After this transaction commits, replace the job named job_id (one per object, so an
    edit moves it rather than adding another) with func_path(*args) at `at`: a datetime,
    RUN_NOW, or None for no job at all. A job that cannot be queued is left to its sweep."""
    db.session.info.setdefault(_PLANNED_JOBS, {})[job_id] = (func_path, args, at)


@event.listens_for(Session, "after_commit")
def _apply_planned_jobs(session):
    for job_id, (func_path, args, at) in session.info.pop(_PLANNED_JOBS, {}).items():
        try:
            cancel_job(job_id)
            if at == RUN_NOW:
                enqueue(func_path, *args, job_id=job_id)
            elif at is not None and current_app.config["JOBS_ASYNC"]:
                # Without a worker (no Redis) nothing runs at a time: the sweep does the work.
                get_queue().enqueue_at(
                    at,
                    func_path,
                    *args,
                    job_id=job_id,
                    retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
                    result_ttl=0,
                    failure_ttl=30 * 24 * 3600,
                    meta=_job_meta(),
                )
        except Exception:  # Redis away: the job's sweep does its work
            log.warning("could not plan job %s; left to the sweep", job_id, exc_info=True)


def cancel_job(job_id):
    with contextlib.suppress(NoSuchJobError):
        Job.fetch(job_id, connection=get_redis()).delete()


@event.listens_for(Session, "after_commit")
def _enqueue_pending_jobs(session):
    for func_path, rows_or_args in session.info.pop(_PENDING_JOBS, []):
        args = _keys_of_rows(rows_or_args)
        if args is None:
            continue  # a row taken out of the session before the commit: nothing to do
        # The change is committed: a queue that is down must not turn it into a 500.
        # What was not queued is still a pending row, and the sweep queues it later.
        if func_path == "webapp.jobs.deliver_email":
            try:
                enqueue_delivery(*args)
            except Exception:
                log.warning("could not queue mail %r; left to the sweep", args, exc_info=True)
        else:
            _enqueue_or_run_here(func_path, args)
    _sweep_in_process_when_due()


def _enqueue_or_run_here(func_path, args):
    """Queue a job; if the queue is down, run it here rather than lose it.

    Only the outbox's own deliveries can wait for the sweep: other jobs (looking up an
    address to mail, say) have no row of their own, and what they write is mail in the
    outbox, so running them in this process costs time, never an email.
    """
    try:
        enqueue(func_path, *args)
    except Exception:
        log.warning("could not queue %s; running it in this process", func_path, exc_info=True)
        import_string(func_path)(*args)


def _sweep_in_process_when_due():
    """Without Redis there is no worker to retry a failed send: the web process sweeps,
    at most once per OUTBOX_SWEEP_INTERVAL, after a commit."""
    global _last_in_process_sweep
    if not has_app_context() or current_app.config["JOBS_ASYNC"]:
        return
    now = time.monotonic()
    interval = current_app.config["OUTBOX_SWEEP_INTERVAL"]
    if _last_in_process_sweep is not None and now - _last_in_process_sweep < interval:
        return
    # Set first: the sweep commits too, and must not start itself again.
    _last_in_process_sweep = now
    for name, sweep_now in (("outbox", sweep_outbox), *_scheduled_mail_sweeps()):
        try:
            sweep_now()
        except Exception:
            log.warning("in-process %s sweep failed", name, exc_info=True)


def _scheduled_mail_sweeps():
    """(name, sweep) of the scheduled emails: each sends what a lost or late job did not,
    and is the only sender of its kind without Redis. (Also the deletion of expired data
    downloads, which is due by time in the same way.)"""
    from webapp.accounts.export import sweep_expired_exports
    from webapp.events.reminders import sweep_due_reminders
    from webapp.polls.result_mail import sweep_closed_polls

    return (
        ("reminder", sweep_due_reminders),
        ("poll result", sweep_closed_polls),
        ("expired export", sweep_expired_exports),
    )


@event.listens_for(Session, "after_rollback")
def _drop_pending_jobs(session):
    session.info.pop(_PENDING_JOBS, None)
    session.info.pop(_PLANNED_JOBS, None)


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
    """A fresh app context, so a job has a session of its own.

    In the web process without Redis a job runs inside the request's commit hook; on the
    request's session its writes would be lost ("session is in 'committed' state").
    """
    app = current_app._get_current_object() if has_app_context() else worker_app()
    with app.app_context():
        yield app


@contextlib.contextmanager
def job_context():
    """app_context, with a session of its own that commits at the end, and a POST-like
    request so that it runs in a transaction (GETs read in autocommit) and url_for builds
    links on the public address."""
    from webapp import mail

    with app_context() as app, app.test_request_context(base_url=mail.base_url(), method="POST"):
        yield
        db.session.commit()


def sweep_due(name, due_ids, send, now=None):
    """A scheduled email's sweep: send(id, now) for each id the statement due_ids(now)
    selects (up to SWEEP_BATCH), one transaction each; returns how many emails went."""
    from webapp.timeutil import utcnow

    with job_context():
        now = now or utcnow()
        due = db.session.scalars(due_ids(now).limit(SWEEP_BATCH)).all()
        db.session.commit()
        sent = 0
        for object_id in due:
            sent += send(object_id, now) or 0
            db.session.commit()
    if due:
        log.info("%s sweep: %d due, %d email(s)", name, len(due), sent)
    return sent


def worker_app():
    """The app of a worker process, built once from the environment."""
    global _worker_app
    if _worker_app is None:
        from webapp import create_app

        _worker_app = create_app()
    return _worker_app


class HearthWorker(Worker):
    """An RQ worker that builds the app before it forks and sweeps the outbox (and the due
    event reminders and poll results) while idle.

    RQ runs every job in a fresh fork; without this each fork would build the app anew
    (about a second per email on this kind of machine). The sweep runs in this parent
    process between jobs, every OUTBOX_SWEEP_INTERVAL seconds.
    """

    def __init__(self, *args, **kwargs):
        # Before RQ's own setup, which reads dequeue_timeout.
        self.app = worker_app()
        self.sweep_interval = self.app.config["OUTBOX_SWEEP_INTERVAL"]
        self.last_swept_at = None
        super().__init__(*args, **kwargs)
        self._close_database_connections()
        # Here, in the parent: every job's fork then finds the templates compiled.
        warm_up(self.app)

    def perform_job(self, job, queue, execution):
        """Run the job under the id of the request that queued it, with a log line."""
        token = bind_request_id(job.meta.get("request_id"))
        started = time.perf_counter()
        try:
            succeeded = super().perform_job(job, queue, execution)
            line = {
                "job": job.func_name,
                "job_id": job.id,
                "status": "finished" if succeeded else "failed",
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "request_id": job.meta.get("request_id"),
            }
            log.info(json.dumps(line))
            return succeeded
        finally:
            unbind_request_id(token)

    def _close_database_connections(self):
        # Forks must not share the parent's database connections.
        with self.app.app_context():
            db.engine.dispose()

    @property
    def dequeue_timeout(self):
        # Wake up from the blocking wait often enough to sweep on time.
        return max(1, min(super().dequeue_timeout, self.sweep_interval))

    def _sweep_due(self):
        return self.last_swept_at is None or (
            time.monotonic() - self.last_swept_at >= self.sweep_interval
        )

    @property
    def should_run_maintenance_tasks(self):
        return self._sweep_due() or super().should_run_maintenance_tasks

    def run_maintenance_tasks(self):
        if self._sweep_due():
            self.last_swept_at = time.monotonic()
            self.run_sweeps()
        if super().should_run_maintenance_tasks:
            super().run_maintenance_tasks()

    def run_sweeps(self):
        from webapp.outbox.services import sweep

        for name, sweep_now in (("outbox", sweep), *_scheduled_mail_sweeps()):
            try:
                with self.app.app_context():
                    sweep_now()
            except Exception:  # a database blip must not stop the worker
                self.log.warning("%s sweep failed", name, exc_info=True)
            finally:
                self._close_database_connections()


def deliver_email(message_id):
    """Send one outbox message (by row id) unless it was already sent or is being sent."""
    from webapp.outbox.services import deliver

    with app_context():
        return deliver(message_id)


def sweep_outbox():
    """Queue what is pending and due in the outbox (also run by every HearthWorker)."""
    from webapp.outbox.services import sweep

    with app_context():
        return sweep()
