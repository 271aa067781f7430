"""Hearth as a small production runs it across machines, on this one: two web nodes
(gunicorn, each its own process group and port), two RQ workers, HAProxy balancing the
nodes, PgBouncer in transaction mode between every Hearth process and PostgreSQL, Redis,
and an SMTP server. Each node and worker can be killed with SIGKILL, as a machine that
dies, and started again.

The database is a scratch one on the test PostgreSQL server, migrated (the release
command, straight to PostgreSQL as a release runs once) and seeded at a small scale;
Redis is a scratch database number, emptied before and after.
"""

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
import rq
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.load import Browser
from tests.support.pgbouncer import PgBouncer
from tests.support.ports import free_port
from tests.support.smtp import SMTPListener
from webapp.jobs import worker_queue_names

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HAPROXY = "/usr/sbin/haproxy"
SEED_SCALE = "0.02"
# Between every Hearth process and PostgreSQL: fewer server connections than the web
# workers and job forks that share them, as a pooler is there for.
SERVER_CONNECTIONS = 8
WEB_WORKERS = 2
# Short, so that a message whose worker was killed half-way goes out again within the
# run: its claim lapses, and the next sweep queues it.
CLAIM_SECONDS = 8


def _session(command, env, log):
    """A process in a process group of its own, as a machine's processes are apart."""
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _kill_group(process):
    """SIGKILL to the process and every process it started: the machine is gone."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class Node:
    """A web node: gunicorn with production's settings on a port of its own."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.port = free_port()
        self.env = env
        self.log = Path(log_dir) / f"{name}.log"
        self.process = None

    def start(self):
        command = [str(BIN / "gunicorn"), "-c", "python:webapp.operations.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WEB_WORKERS)]
        command += ["--no-control-socket", "wsgi:app"]
        self.process = _session(command, self.env, self.log.open("ab"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if Browser(self.port).request("GET", "/readyz", timeout=2).status == 200:
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not start; see {self.log}")

    def kill(self):
        _kill_group(self.process)


class Worker:
    """A job worker as the Procfile runs it (scheduler included), on the site's queues."""

    def __init__(self, name, env, log_dir):
        self.name = name
        self.env = env
        self.log = Path(log_dir) / f"{name}.log"
        self.process = None
        self.starts = 0

    @property
    def registered_name(self):
        """The name this start registers in Redis. A killed worker's registration lives on
        until it expires, and RQ refuses a second worker of the same name meanwhile: a
        machine started again comes back under a new one, as RQ's own default (host and
        process id) would."""
        return f"{self.name}-{self.starts}"

    def start(self):
        self.starts += 1
        command = [str(BIN / "rq"), "worker", "--with-scheduler", "--name", self.registered_name]
        command += ["--worker-class", "webapp.jobs.worker.HearthWorker"]
        command += ["--url", self.env["REDIS_URL"], *worker_queue_names(self.env["QUEUE_NAME"])]
        self.process = _session(command, self.env, self.log.open("ab"))

    def kill(self):
        _kill_group(self.process)

    def kill_at_work(self, seconds=10):
        """Kill the worker as soon as it runs a job (an email half-sent); whether it was
        running one (else it is killed idle, after seconds)."""
        deadline = time.monotonic() + seconds
        busy = False
        while not busy and time.monotonic() < deadline:
            me = self._registration()
            busy = me is not None and me.get_current_job_id() is not None
            if not busy:
                time.sleep(0.005)
        self.kill()
        return busy

    def registered(self, seconds=30):
        """Whether this start's worker registered in Redis within seconds: it is taking
        jobs, not refused at its start."""
        deadline = time.monotonic() + seconds
        while self._registration() is None:
            if time.monotonic() > deadline or self.process.poll() is not None:
                return False
            time.sleep(0.1)
        return True

    def _registration(self):
        connection = redis.Redis.from_url(self.env["REDIS_URL"])
        key = f"{rq.Worker.redis_worker_namespace_prefix}{self.registered_name}"
        return rq.Worker.find_by_key(key, connection=connection)


class Balancer:
    """HAProxy in front of the nodes, round robin.

    A node is taken out at the first connection it refuses (its machine is gone), and a
    request it refused is sent to the other (redispatch); a node merely busy stays in,
    as its checks may wait behind the requests it is serving. A request a node had
    already taken when it died is answered 502, or, when the node had begun its answer,
    cut off: it may have been done, so only the client may send it again. Its 502, 503
    and 504 are Hearth's pages for them, from `flask balancer-pages` (pages)."""

    def __init__(self, port, nodes, log_dir, pages):
        self.port = port
        self.config = Path(log_dir) / "haproxy.cfg"
        self.log = Path(log_dir) / "haproxy.log"
        servers = "\n".join(f"    server {node.name} 127.0.0.1:{node.port} check" for node in nodes)
        self.config.write_text(
            f"""
global
    maxconn 1024
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch 1
    option forwardfor
    errorfile 502 {pages}/502.http
    errorfile 503 {pages}/503.http
    errorfile 504 {pages}/504.http
frontend site
    bind 127.0.0.1:{self.port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    timeout check 3s
    default-server inter 1s fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down
{servers}
"""
        )
        self.process = None

    def start(self):
        self.process = _session([HAPROXY, "-db", "-f", str(self.config)], None, self.log.open("ab"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if Browser(self.port).request("GET", "/healthz", timeout=2).status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"HAProxy did not start; see {self.log}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Cluster:
    """Everything above, started in order and stopped in reverse; the scratch database
    and Redis dropped and emptied."""

    def __init__(self, server_url, redis_url, log_dir):
        self.log_dir = Path(log_dir)
        server = make_url(server_url)
        self.admin_url = (
            f"postgresql://{server.username}@{server.host}:{server.port or 5432}/postgres"
        )
        self.database = f"hearth_scale_{os.getpid()}_{secrets.token_hex(3)}"
        self.database_url = server.set(database=self.database).render_as_string(False)
        self.redis_url = redis_url
        self.smtp = SMTPListener()
        self.secret_key = secrets.token_hex(32)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.engine = None
        self.bouncer = None
        self.nodes = []
        self.workers = []
        self.balancer = None

    def environment(self, database_url):
        return {
            **os.environ,
            "HEARTH_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": database_url,
            "DATABASE_TRANSACTION_POOLER": "1",
            "REDIS_URL": self.redis_url,
            "QUEUE_NAME": "hearth-scale",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.smtp.port),
            "MAIL_DEFAULT_SENDER": "Hearth <hearth@example.org>",
            "BASE_URL": self.base_url,
            # HAProxy is the one proxy in front: the client's address is its to say.
            "TRUSTED_PROXY_HOPS": "1",
            # Every member here comes from one address, and logs in within seconds.
            "RATE_LIMIT_LOGIN": "2000 per minute",
            "RATE_LIMIT_SIGNUP": "100 per hour",
            "OUTBOX_CLAIM_TIMEOUT": str(CLAIM_SECONDS),
            "OUTBOX_SWEEP_INTERVAL": "1",
            "OUTBOX_REQUEUE_AFTER": "5",
            "UPLOAD_DIR": str(self.log_dir / "uploads"),
            "FLASK_APP": "wsgi",
        }

    def flask(self, env, *args):
        subprocess.run(
            [str(BIN / "flask"), *args], env=env, cwd=ROOT, check=True, capture_output=True
        )

    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        redis.Redis.from_url(self.redis_url).flushdb()
        self.smtp.start()
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        release = self.environment(self.database_url)
        self.flask(release, "db", "upgrade")
        self.flask(release, "seed", "--scale", SEED_SCALE)
        self.flask(release, "balancer-pages", str(self.log_dir / "balancer-pages"))
        # The checks' own look at the rows, beside the pooler.
        self.engine = sa.create_engine(self.database_url)
        with self.engine.begin() as connection:
            # Digests fall due at 08:00 on each person's clock (weekly by default, on
            # Mondays) and stay due for hours: left on, the seeded people's would add
            # hundreds of emails or none, by the day and hour the test runs.
            connection.execute(
                sa.text(
                    "INSERT INTO digest_settings (user_id, frequency, changed_at)"
                    " SELECT id, 'off', now() FROM users"
                    " ON CONFLICT (user_id) DO UPDATE SET frequency = 'off'"
                )
            )
        self.bouncer = PgBouncer(self.database_url, pool_size=SERVER_CONNECTIONS, max_clients=400)
        pooled = self.environment(self.bouncer.database_url)
        self.nodes = [Node(f"web{number}", pooled, self.log_dir) for number in (1, 2)]
        self.workers = [Worker(f"worker{number}", pooled, self.log_dir) for number in (1, 2)]
        for process in (*self.nodes, *self.workers):
            process.start()
        self.balancer = Balancer(
            self.port, self.nodes, self.log_dir, self.log_dir / "balancer-pages"
        )
        self.balancer.start()

    def value(self, statement, **values):
        """One value the rows hold, read straight from PostgreSQL."""
        with self.engine.connect() as connection:
            return connection.execute(sa.text(statement), values).scalar()

    def smtp_messages(self, to=None):
        """What the SMTP server has received (to one address)."""
        with self.smtp.lock:
            return [m for m in self.smtp.messages if to is None or to in str(m["To"])]

    def __exit__(self, *exc):
        if self.balancer is not None:
            self.balancer.stop()
        for process in (*self.nodes, *self.workers):
            process.kill()
        if self.bouncer is not None:
            self.bouncer.stop()
        if self.engine is not None:
            self.engine.dispose()
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(self.admin_url, autocommit=True) as connection,
        ):
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(self.redis_url).flushdb()
        self.smtp.stop()
