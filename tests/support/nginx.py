"""Debian's nginx on loopback, with one server block of a test's, as docs/deployment.md
sets it up: started in a folder of its own, and stopped."""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.ports import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require_nginx():
    """Skip the test without nginx, or fail it where CI promised every service."""
    if not Path(NGINX).exists():
        message = f"no nginx at {NGINX} (apt-get install nginx)"
        if os.environ.get("HEARTH_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _listening(port):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


class Nginx:
    """nginx listening on its port, with the server block server(port) in its http block;
    the directives before it (in http) when given."""

    def __init__(self, folder, server, before=""):
        self.folder = Path(folder)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        config = self.folder / "nginx.conf"
        config.write_text(
            f"""
            {user}
            daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log;
            events {{}}
            http {{
              access_log off;
              client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
              fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi;
              scgi_temp_path {folder}/scgi;
              {before}
              server {{
                listen 127.0.0.1:{self.port};
                {server}
              }}
            }}
            """
        )
        self.process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _listening(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError((self.folder / "error.log").read_text())
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
