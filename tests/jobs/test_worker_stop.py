"""A worker told to stop (SIGTERM, as a supervisor or a deploy sends) while it sweeps
stops: the sweep's guard against a database blip does not swallow the stop, which would
leave the worker running until a second, cold signal."""

import gc
import os
import signal

import pytest
import redis
from rq.exceptions import StopRequested

from tests.support.other_apps import app_like
from webapp.jobs import register_sweep
from webapp.jobs import worker as worker_module


@pytest.fixture(autouse=True)
def unfrozen():
    """The worker freezes what it loaded (the whole test process): unfreeze afterwards."""
    yield
    gc.unfreeze()


@pytest.fixture
def worker(app, monkeypatch):
    with app_like(app) as fresh:
        monkeypatch.setattr(worker_module, "worker_app", lambda: fresh)
        connection = redis.Redis.from_url(fresh.config["REDIS_URL"])
        handlers = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield worker_module.HearthWorker([fresh.config["QUEUE_NAME"]], connection=connection)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
            connection.close()


def interrupted():
    os.kill(os.getpid(), signal.SIGTERM)


def interrupted_then_failing():
    """As a query interrupted half-way: its rollback fails, and that error is what is left."""
    try:
        interrupted()
    except StopRequested as stop:
        raise RuntimeError("sending query failed: another command is already in progress") from stop


@pytest.mark.redis
@pytest.mark.parametrize("sweep", [interrupted, interrupted_then_failing])
def test_a_stop_signal_during_a_sweep_stops_the_worker(worker, sweep):
    swept = []

    def sweep_that_is_interrupted():
        swept.append("first")
        sweep()

    register_sweep(worker.app, "interrupted", sweep_that_is_interrupted)
    register_sweep(worker.app, "after", lambda: swept.append("after"))
    # As `rq worker` does before its loop: SIGTERM while idle raises StopRequested.
    worker._install_signal_handlers()

    with pytest.raises(StopRequested):
        worker.run_sweeps()
    assert swept == ["first"]


@pytest.mark.redis
def test_a_failing_sweep_is_logged_and_the_others_still_run(worker):
    swept = []

    def failing_sweep():
        raise RuntimeError("the database blinked")

    register_sweep(worker.app, "failing", failing_sweep)
    register_sweep(worker.app, "after", lambda: swept.append("after"))

    worker.run_sweeps()
    assert swept == ["after"]
