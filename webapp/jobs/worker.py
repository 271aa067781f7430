"""The job worker: `rq worker --worker-class webapp.jobs.worker.HearthWorker` (Procfile)."""

import json
import logging
import time

from rq import Worker
from rq.exceptions import StopRequested

from webapp.extensions import db
from webapp.jobs import registered_sweeps
from webapp.jobs.redis_outages import RidesOutRedisOutages
from webapp.operations.warm_up import warm_up
from webapp.web.request_ids import bind_request_id, unbind_request_id

log = logging.getLogger("hearth.jobs")
_worker_app = None


def worker_app():
    """The app of a worker process, built once from the environment."""
    global _worker_app
    if _worker_app is None:
        from webapp import create_app

        _worker_app = create_app()
    return _worker_app


class HearthWorker(RidesOutRedisOutages, Worker):
    """An RQ worker that builds the app before it forks, runs the registered sweeps (the
    outbox, due reminders and poll results, ...) while idle, and waits out a Redis outage
    (redis_outages.py) rather than quit.

    RQ runs every job in a fresh fork; without this each fork would build the app anew
    (about a second per email on this kind of machine). The sweep runs in this parent
    process between jobs, every OUTBOX_SWEEP_INTERVAL seconds.
    """

    def __init__(self, *args, **kwargs):
        # Before RQ's own setup, which reads dequeue_timeout.
        self.app = worker_app()
        self.sweep_interval = self.app.config["OUTBOX_SWEEP_INTERVAL"]
        self.last_swept_at = None
        self.stop_signalled = False
        super().__init__(*args, **kwargs)
        self._close_database_connections()
        # Here, in the parent: every job's fork then finds the templates compiled.
        warm_up(self.app)

    def request_stop(self, signum, frame):
        # Remembered before RQ raises StopRequested in whatever the worker is doing: code
        # it interrupts (a query caught half-way, whose rollback then fails) may end with
        # another exception, which must not pass for a failed sweep and keep it running.
        self.stop_signalled = True
        super().request_stop(signum, frame)

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
        for name, sweep_now in registered_sweeps(self.app):
            try:
                with self.app.app_context():
                    sweep_now()
            except StopRequested:
                # SIGTERM while idle raises this wherever the worker is: it is a stop, not
                # a failed sweep.
                raise
            except Exception:  # a database blip must not stop the worker
                if self.stop_signalled:
                    # The stop interrupted the sweep, which then failed on its way out.
                    raise StopRequested from None
                self.log.warning("%s sweep failed", name, exc_info=True)
            finally:
                self._close_database_connections()
