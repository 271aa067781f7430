"""Debian's PgBouncer (1.18) on a free port in transaction mode, in front of the test
PostgreSQL: for the pooler test (tests/database/test_pgbouncer.py) and the scale test
(tests/scale/), which run Hearth with DATABASE_TRANSACTION_POOLER set behind it."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from tests.support.ports import free_port

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


class NoPgBouncer(RuntimeError):
    pass


class PgBouncer:
    """PgBouncer in transaction mode with pool_size server connections per database."""

    def __init__(self, database_url, pool_size=2, max_clients=100):
        if not os.path.exists(PGBOUNCER):
            raise NoPgBouncer(f"no pgbouncer at {PGBOUNCER} (apt-get install pgbouncer)")
        # Not pytest's tmp_path: pytest keeps it where only its owner may go, and
        # PgBouncer runs as nobody when the tests run as root.
        self.folder = Path(tempfile.mkdtemp(prefix="hearth-pgbouncer-"))
        self.folder.chmod(0o755)
        target = make_url(database_url)
        self.port = free_port()
        self.url = target.set(host="127.0.0.1", port=self.port)
        self.held = None
        users = self.folder / "users.txt"
        users.write_text(f'"{target.username}" ""\n')
        config = self.folder / "pgbouncer.ini"
        config.write_text(
            f"""
[databases]
* = host={target.host or "127.0.0.1"} port={target.port or 5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {users}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = {max_clients}
server_round_robin = 0
ignore_startup_parameters = extra_float_digits
logfile = {self.folder}/pgbouncer.log
"""
        )
        command = [PGBOUNCER, str(config)]
        if os.geteuid() == 0:
            # PgBouncer will not run as root.
            nobody = pwd.getpwnam("nobody")
            for path in (self.folder, users, config):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            command = [PGBOUNCER, "-u", "nobody", str(config)]
        with (self.folder / "stderr").open("w") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.libpq(), autocommit=True) as connection:
                    connection.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        logs = [self.folder / "stderr", self.folder / "pgbouncer.log"]
        found = "\n".join(log.read_text() for log in logs if log.exists())
        self.stop()
        raise RuntimeError(found)

    @property
    def database_url(self):
        """The SQLAlchemy URL through the pooler, for Hearth's DATABASE_URL."""
        return self.url.render_as_string(hide_password=False)

    def libpq(self):
        url = self.url
        return f"host={url.host} port={url.port} dbname={url.database} user={url.username}"

    def switch_server_connection(self):
        """Make the next statements of a client run on the other of two server connections:
        hold the one it used last in a transaction (while a hold is on the other, it is the
        only one free), then free the other."""
        holder = psycopg.connect(self.libpq())
        holder.execute("SELECT 1")
        if self.held is not None:
            self.held.close()
        self.held = holder

    def stop(self):
        if self.held is not None:
            self.held.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
