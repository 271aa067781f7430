"""The app served by gunicorn, as production serves it: several worker processes sharing
the test database and a real Redis. For what a thread in the test process cannot show,
such as a change made through one process reaching a page served by another.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


class Gunicorn:
    """gunicorn wsgi:app with `workers` processes, settings taken from the session app."""

    def __init__(self, app, workers, log_path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = log_path
        config = app.config
        self.env = {
            **os.environ,
            "HEARTH_ENV": "test",
            "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": config["REDIS_URL"],
            "QUEUE_NAME": config["QUEUE_NAME"],
            "MAIL_SERVER": config["MAIL_SERVER"],
            "MAIL_PORT": str(config["MAIL_PORT"]),
            "MAIL_OUTBOX_DIR": config["MAIL_OUTBOX_DIR"],
            "UPLOAD_DIR": config["UPLOAD_DIR"],
            "BASE_URL": self.url,
            **env,
        }
        self.process = None

    def start(self):
        # The settings production runs with (webapp/operations/gunicorn_conf.py), here and there
        # overridden on the command line.
        command = [str(GUNICORN), "-c", "python:webapp.operations.gunicorn_conf", "wsgi:app"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        # The worker's pid on each line: which process served what.
        command += [
            "--access-logfile",
            str(self.log_path),
            "--access-logformat",
            "%(p)s %(r)s %(s)s",
        ]
        self.process = subprocess.Popen(  # our own gunicorn
            command,
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self, path_part):
        """The pids of the workers that served a request whose line holds path_part."""
        lines = self.log_path.read_text().splitlines() if self.log_path.exists() else []
        return {line.split()[0] for line in lines if path_part in line}

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
