"""One instance per scale: a scratch PostgreSQL database, seeded, served by gunicorn as
production runs it, with the baseline page and the query counter mounted."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from benchmarks.load import Browser

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin(statement):
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(statement)


class Instance:
    def __init__(self, scale, redis_url, workers, log_dir):
        self.scale = scale
        self.workers = workers
        self.database = f"hearth_bench_{str(scale).replace('.', '_')}_{os.getpid()}"
        self.port = free_port()
        self.log_path = Path(log_dir) / f"gunicorn-{scale}.log"
        self.process = None
        self.cookie = ""
        self.seed_seconds = None
        host = POSTGRES.split("://", 1)[1].rsplit("/", 1)[0]
        self.env = {
            **os.environ,
            "HEARTH_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"postgresql+psycopg://{host}/{self.database}",
            "REDIS_URL": redis_url,
            "BASE_URL": f"http://127.0.0.1:{self.port}",
            "HEARTH_BENCH_BASELINE": "1",
            "HEARTH_BENCH_COUNT_QUERIES": "1",
            # The rush logs 50 members in from this one address within seconds.
            "RATE_LIMIT_LOGIN": "1000 per minute",
            "FLASK_APP": "wsgi",
        }

    @property
    def database_url(self):
        return self.env["DATABASE_URL"]

    @property
    def redis_url(self):
        return self.env["REDIS_URL"]

    def flask(self, *args):
        subprocess.run(  # noqa: S603  (our own flask command)
            [str(BIN / "flask"), *args], env=self.env, cwd=ROOT, check=True, capture_output=True
        )

    def prepare(self):
        """Create the database, migrate it and seed it; the seeding time is kept."""
        admin(f'CREATE DATABASE "{self.database}"')
        self.flask("db", "upgrade")
        started = time.perf_counter()
        self.flask("seed", "--scale", f"{self.scale:g}")
        self.seed_seconds = time.perf_counter() - started

    def start(self):
        # Production's settings (webapp/operations/gunicorn_conf.py), its hooks included.
        command = [
            str(BIN / "gunicorn"),
            "-c",
            "python:webapp.operations.gunicorn_conf",
            "wsgi:app",
        ]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), "--no-control-socket"]
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (our own gunicorn)
            command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Browser(self.port).request("GET", "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # Quick shutdown: a worker busy with a page too slow to wait for exits at once.
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self):
        """After a request too slow to wait for: its worker would stay busy for long."""
        self.stop()
        self.start()

    def log_in(self, email, password):
        self.cookie = Browser(self.port).log_in(email, password)

    def drop(self):
        self.stop()
        admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
