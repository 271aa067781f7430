"""A worker that waits out a Redis outage instead of quitting.

RQ's work loop quits on a Redis error met anywhere but in its wait for a job, and a worker
that quit delivers no more mail until someone restarts it. This mixin catches the error
at each step of the loop that talks to Redis, waits for Redis to answer (a pause doubling
from one second up to thirty), registers the worker again (its key may have expired, or
Redis come back empty), restarts the scheduler if it died meanwhile, and goes on. The
mail written during the outage waits in the outbox, whose sweep queues it afterwards.
"""

import logging
import time

import redis
from rq import worker_registration
from rq.exceptions import StopRequested
from rq.utils import now
from rq.worker import WorkerStatus

REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0


class _OneLinePerOutage(logging.Filter):
    """Drop RQ's own line for each retry (its wait for a job and its pubsub thread log one
    every few seconds): the outage is said once, when it starts and when it ends."""

    def filter(self, record):
        return "could not connect to Redis instance" not in str(record.msg)


_ONE_LINE_PER_OUTAGE = _OneLinePerOutage()  # one instance: adding it again changes nothing


class RidesOutRedisOutages:
    """Mixin for an rq Worker (before it in the bases): every step of the work loop that
    talks to Redis waits for it to come back rather than end the worker."""

    redis_down_since = None  # time.monotonic() when the current outage was noticed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log.addFilter(_ONE_LINE_PER_OUTAGE)

    def through_outage(self, step, *args):
        """step(*args), waiting out any Redis outage it meets and trying again after."""
        while True:
            try:
                return step(*args)
            except REDIS_DOWN as error:
                self.wait_for_redis(error)

    def wait_for_redis(self, error):
        """Return once Redis answers and this worker is registered in it again."""
        if self.redis_down_since is None:
            self.redis_down_since = time.monotonic()
            self.log.warning(
                "Worker %s: Redis is unreachable (%s); waiting for it, retrying every %d "
                "seconds at most",
                self.name,
                error,
                LONGEST_PAUSE,
            )
        pause = FIRST_PAUSE
        while True:
            if self._stop_requested:
                raise StopRequested
            time.sleep(pause)
            try:
                self.connection.ping()
                break
            except REDIS_DOWN:
                pause = min(pause * 2, LONGEST_PAUSE)
        # Should Redis fail again here, the caller waits again: still the same outage.
        self.register_again()
        self.restart_dead_scheduler()
        self.log.warning(
            "Worker %s: Redis answers again after %d seconds; carrying on",
            self.name,
            time.monotonic() - self.redis_down_since,
        )
        self.redis_down_since = None

    def register_again(self):
        """Write this worker's registration anew, as at its start."""
        self.last_heartbeat = now()
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping=self.serialize())
            pipeline.hset(self.key, "state", self.get_state())
            worker_registration.register(self, pipeline)
            pipeline.expire(self.key, self.worker_ttl + 60)
            pipeline.execute()

    def restart_dead_scheduler(self):
        # The scheduler runs in a process of its own, which quits on a Redis error; RQ
        # itself would restart it only at its next maintenance, minutes away.
        scheduler = self.scheduler
        if scheduler and not (scheduler._process and scheduler._process.is_alive()):
            scheduler.acquire_locks(auto_start=True)

    # The steps of RQ's work loop that talk to Redis.

    def check_for_suspension(self, burst):
        self.through_outage(super().check_for_suspension, burst)

    def run_maintenance_tasks(self):
        self.through_outage(super().run_maintenance_tasks)

    def dequeue_job_and_maintain_ttl(self, timeout, max_idle_time=None):
        return self.through_outage(super().dequeue_job_and_maintain_ttl, timeout, max_idle_time)

    def heartbeat(self, timeout=None, pipeline=None):
        if pipeline is not None:
            # Only queued here: the pipeline's execute() meets the error, in its caller.
            return super().heartbeat(timeout, pipeline)
        return self.through_outage(super().heartbeat, timeout)

    def execute_job(self, job, queue):
        try:
            super().execute_job(job, queue)
        except REDIS_DOWN as error:
            # The job's process ends by itself (its own timeout stands). Its mail is not
            # lost: the outbox sends again a message whose claim expired.
            if self.horse_pid:
                self.wait_for_horse()
                self._horse_pid = 0
            self.executions.clear()
            self.wait_for_redis(error)
            self.set_state(WorkerStatus.IDLE)

    def request_stop(self, signum, frame):
        try:
            super().request_stop(signum, frame)
        except REDIS_DOWN:
            # Redis cannot record the request: stop as RQ would, without telling it.
            if self.get_state() == WorkerStatus.BUSY:
                self._stop_requested = True
                return
            raise StopRequested from None

    def teardown(self):
        try:
            super().teardown()
        except REDIS_DOWN:
            self.log.warning(
                "Worker %s: Redis is unreachable at shutdown; its registration expires by itself",
                self.name,
            )
