"""RQ queue access: queueing jobs by dotted name (after commit, planned at a time, or now),
the contexts a job runs in, and the registry of sweeps. The worker is worker.py.

Each job runs inside an app context of its own."""

import contextlib
import logging
import time

import sqlalchemy as sa
from flask import current_app, has_app_context
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from webapp.database.redis_client import get_redis
from webapp.extensions import db
from webapp.web import public_url
from webapp.web.request_ids import current_request_id

log = logging.getLogger("hearth.jobs")

# Seconds between delivery attempts: a short blip first, then an SMTP outage.
RETRY_INTERVALS = [10, 60, 300, 900, 3600]

_PENDING_JOBS = "hearth_pending_jobs"
_PLANNED_JOBS = "hearth_planned_jobs"
RUN_NOW = "now"
# What one sweep of a scheduled email handles; the next sweep takes the rest.
SWEEP_BATCH = 100
_last_in_process_sweep = None
SWEEPS = "hearth_sweeps"


def bulk_queue_name(queue_name):
    """The queue of mail to many (an announcement's): workers take its jobs only when the
    main queue is empty, so a confirmation never waits behind thirty thousand messages."""
    return f"{queue_name}-bulk"


def get_queue(bulk=False):
    name = current_app.config["QUEUE_NAME"]
    return Queue(
        bulk_queue_name(name) if bulk else name,
        connection=get_redis(),
        is_async=current_app.config["JOBS_ASYNC"],
    )


def worker_queue_names(queue_name):
    """What a worker listens to, the first first (the Procfile's `rq worker` arguments)."""
    return [queue_name, bulk_queue_name(queue_name)]


def bulk_queue_is_empty():
    """Whether every job of a send to many has been taken: until then its pending messages
    and its next batch are waiting their turn, not lost, and a sweep leaves them be."""
    if not current_app.config["JOBS_ASYNC"]:
        return True
    try:
        return len(get_queue(bulk=True)) == 0
    except Exception:  # noqa: BLE001  (Redis away: nothing can be queued anyway)
        return False


def enqueue(func_path, *args, bulk=False, **kwargs):
    """Queue a job by its dotted name (bulk: on the bulk queue); without Redis it runs
    before this returns."""
    kwargs.setdefault("retry", Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))
    queue = get_queue(bulk)
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


def enqueue_after_commit(func_path, *args, swept=False, **options):
    """Queue a job once the current transaction commits, so it never sees a rolled-back row.
    An argument may be a row not yet flushed: the job gets its key, known by then.

    swept: the job's work is also found by a sweep (an outbox row), so a queue that is
    down leaves it to the sweep; any other job runs in this process rather than be lost.
    options go to enqueue (bulk, and RQ's job_timeout...).
    """
    db.session.info.setdefault(_PENDING_JOBS, []).append((func_path, args, swept, options))


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


def plan_job(job_id, func_path, *args, at, bulk=False):
    """After this transaction commits, replace the job named job_id (one per object, so an
    edit moves it rather than adding another) with func_path(*args) at `at`: a datetime,
    RUN_NOW, or None for no job at all (bulk: on the bulk queue). A job that cannot be
    queued is left to its sweep."""
    db.session.info.setdefault(_PLANNED_JOBS, {})[job_id] = (func_path, args, at, bulk)


@event.listens_for(Session, "after_commit")
def _apply_planned_jobs(session):
    for job_id, (func_path, args, at, bulk) in session.info.pop(_PLANNED_JOBS, {}).items():
        try:
            cancel_job(job_id)
            if at == RUN_NOW:
                enqueue(func_path, *args, job_id=job_id, bulk=bulk)
            elif at is not None and current_app.config["JOBS_ASYNC"]:
                # Without a worker (no Redis) nothing runs at a time: the sweep does the work.
                get_queue(bulk).enqueue_at(
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
    for func_path, rows_or_args, swept, options in session.info.pop(_PENDING_JOBS, []):
        args = _keys_of_rows(rows_or_args)
        if args is None:
            continue  # a row taken out of the session before the commit: nothing to do
        # The change is committed: a queue that is down must not turn it into a 500.
        # What a sweep finds (a pending outbox row) is left to it; the rest runs here.
        if swept:
            try:
                enqueue(func_path, *args, **options)
            except Exception:
                log.warning(
                    "could not queue %s %r; left to the sweep", func_path, args, exc_info=True
                )
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


def register_sweep(app, name, sweep):
    """Run sweep() (a callable that takes no arguments) in every sweep: by each worker
    while idle, or without Redis by the web process after a commit. Features register
    what is due by time (scheduled emails, expiries), so this package names none of them.
    """
    app.extensions.setdefault(SWEEPS, []).append((name, sweep))


def registered_sweeps(app):
    """(name, sweep) in the order they were registered."""
    return app.extensions.get(SWEEPS, [])


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
    for name, sweep_now in registered_sweeps(current_app):
        try:
            sweep_now()
        except Exception:
            log.warning("in-process %s sweep failed", name, exc_info=True)


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
    if has_app_context():
        app = current_app._get_current_object()
    else:
        from webapp.jobs.worker import worker_app

        app = worker_app()
    with app.app_context():
        yield app


@contextlib.contextmanager
def job_context():
    """app_context, with a session of its own that commits at the end, and a POST-like
    request so that it runs in a transaction (GETs read in autocommit) and url_for builds
    links on the public address."""
    with (
        app_context() as app,
        app.test_request_context(base_url=public_url.base_url(), method="POST"),
    ):
        yield
        db.session.commit()


def sweep_due(name, due_ids, send, now=None):
    """A sweep of work due by time (scheduled emails, a series' new dates): send(id, now)
    for each id the statement due_ids(now) selects (up to SWEEP_BATCH), one transaction
    each; returns the sum of what send returned (emails sent, dates made)."""
    from webapp.database.times import utcnow

    with job_context():
        now = now or utcnow()
        due = db.session.scalars(due_ids(now).limit(SWEEP_BATCH)).all()
        db.session.commit()
        sent = 0
        for object_id in due:
            sent += send(object_id, now) or 0
            db.session.commit()
    if due:
        log.info("%s sweep: %d due, %d done", name, len(due), sent)
    return sent


def init_jobs(app):
    """Count the queue and its failed jobs on /metrics."""
    from webapp.operations.metrics import register_gauges

    register_gauges(app, _queue_gauges)


def _queue_gauges():
    """The RQ queue's length and its failed jobs; nothing without Redis (jobs run inline)."""
    if not current_app.config["JOBS_ASYNC"]:
        return
    from prometheus_client.core import GaugeMetricFamily

    queue = get_queue()
    yield GaugeMetricFamily("hearth_queue_jobs", "Jobs waiting in the queue.", len(queue))
    failed = FailedJobRegistry(queue=queue).count
    yield GaugeMetricFamily("hearth_queue_failed_jobs", "Jobs that failed for good.", failed)
