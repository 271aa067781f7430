"""A real worker process rides out a Redis server that dies and comes back.

The Redis here is a server of the test's own on a free port, never the shared one: the
test kills it (as a crash would) and starts it again empty, as a restart without
persistence leaves it.
"""

import contextlib
import signal
import subprocess
import tempfile
import time

import pytest
import redis
from rq import Worker

from tests.jobs.test_worker import SIGNUP, stop, wait_for
from tests.support.other_apps import app_like
from tests.support.ports import free_port
from tests.support.workers import rq_worker_command, worker_env

OUTAGE_SECONDS = 5


class RedisServer:
    """A redis-server process on a port of its own, which the test stops and starts."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        try:
            assert wait_for(self._answers(client), 10), "redis-server did not start"
        finally:
            client.close()

    @staticmethod
    def _answers(client):
        def answers():
            with contextlib.suppress(redis.ConnectionError):
                return client.ping()
            return False

        return answers

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    with tempfile.TemporaryDirectory() as directory:
        server = RedisServer(directory)
        server.start()
        yield server
        if server.process.poll() is None:
            server.kill()


def start_worker(app, redis_url, log_path):
    """The Procfile's worker line, against redis_url, its log kept in log_path."""
    log = open(log_path, "w")  # noqa: SIM115  (the process writes it until stopped)
    env = worker_env(app) | {
        "REDIS_URL": redis_url,
        # Quick sweeps, so the mail that waited during the outage goes out soon after.
        "OUTBOX_SWEEP_INTERVAL": "1",
        "OUTBOX_REQUEUE_AFTER": "2",
    }
    process = subprocess.Popen(
        rq_worker_command(app, "--with-scheduler", redis_url=redis_url),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    return process


def worker_states(redis_url):
    connection = redis.Redis.from_url(redis_url)
    try:
        return [worker.get_state() for worker in Worker.all(connection=connection)]
    finally:
        connection.close()


def delivered(listener, recipient):
    return lambda: any(recipient in message["To"] for message in listener.messages)


def sign_up(client, email):
    response = client.submit("/signup", SIGNUP | {"email": email})
    assert response.status_code == 303


@pytest.mark.redis  # the web app's rate limits stay on the suite's Redis
@pytest.mark.timeout(240)
@pytest.mark.parametrize("found", ["waiting", "sending"])
def test_a_worker_rides_out_a_redis_outage_and_delivers_what_piled_up(
    app, smtp_listener, own_redis, tmp_path, found
):
    """The outage finds the worker waiting for a job (RQ's own wait retries, but leaves
    the worker unregistered and its scheduler dead), or in the middle of one (RQ quits)."""
    log_path = tmp_path / "worker.log"
    with app_like(app, REDIS_URL=own_redis.url, OUTBOX_REQUEUE_AFTER=2) as web:
        client = web.test_client()
        worker = start_worker(app, own_redis.url, log_path)
        try:
            if found == "sending":
                # The SMTP server keeps the message and answers only after the outage began.
                smtp_listener.stall_next(3)
            sign_up(client, "before@example.org")
            assert wait_for(delivered(smtp_listener, "before@example.org"), 60)
            if found == "waiting":
                assert wait_for(lambda: worker_states(own_redis.url) == ["idle"], 30)

            own_redis.kill()
            time.sleep(OUTAGE_SECONDS)
            assert worker.poll() is None, "the worker quit when Redis went away"
            # Mail written meanwhile waits in the outbox: the web cannot queue it.
            sign_up(client, "during@example.org")

            own_redis.start()
            assert wait_for(delivered(smtp_listener, "during@example.org"), 60), (
                "the mail written during the outage was not sent once Redis came back"
            )
            sign_up(client, "after@example.org")
            assert wait_for(delivered(smtp_listener, "after@example.org"), 60)

            assert worker.poll() is None
            # The same worker, registered again in the new Redis, and no other.
            connection = redis.Redis.from_url(own_redis.url)
            try:
                [registered] = Worker.all(connection=connection)
            finally:
                connection.close()
            assert registered.pid == worker.pid
        finally:
            stop(worker)
            log = log_path.read_text()
            print(log)  # shown when the test fails
    assert worker.returncode == 0
    assert len([m for m in smtp_listener.messages if "before@example.org" in m["To"]]) == 1
    assert log.count("Redis is unreachable") == 1, log
    assert log.count("Redis answers again") == 1, log
    assert "quitting" not in log, log


@pytest.mark.redis
@pytest.mark.timeout(120)
def test_a_worker_waiting_for_redis_stops_at_once_when_told(app, own_redis, tmp_path):
    log_path = tmp_path / "worker.log"
    worker = start_worker(app, own_redis.url, log_path)
    try:
        assert wait_for(lambda: worker_states(own_redis.url) == ["idle"], 30)
        own_redis.kill()
        assert wait_for(lambda: "Redis is unreachable" in log_path.read_text(), 30)
        worker.send_signal(signal.SIGTERM)
        # A supervisor stopping it meanwhile waits for no timeout of its own.
        worker.wait(timeout=10)
    finally:
        stop(worker)
        print(log_path.read_text())  # shown when the test fails
    assert worker.returncode == 0
