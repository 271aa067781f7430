"""Hearth behind PgBouncer in transaction mode (Debian's package, 1.18, which keeps no
prepared statement across server connections), with DATABASE_TRANSACTION_POOLER set.

Each of Hearth's transactions may run on another server connection than the last. The
test makes sure it does: PgBouncer has two, and before each request another client takes
the one Hearth used last into a transaction and frees the other, so Hearth's statements
run on the other one. A member logs in, opens an event and answers
it, and every answer is right. Without the setting, the same steps fail: Hearth prepares
its lookups by key on the server, and the other connection does not know them."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.other_apps import app_like
from tests.support.smtp import free_port
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db

pytestmark = pytest.mark.postgres

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


class PgBouncer:
    """Debian's PgBouncer on a free port, in transaction mode, two server connections."""

    def __init__(self, folder, database_url):
        if not os.path.exists(PGBOUNCER):
            if os.environ.get("HEARTH_REQUIRE_SERVICES") == "1":
                pytest.fail(f"no pgbouncer at {PGBOUNCER} (apt-get install pgbouncer)")
            pytest.skip(f"no pgbouncer at {PGBOUNCER} (apt-get install pgbouncer)")
        target = make_url(database_url)
        self.port = free_port()
        self.url = target.set(host="127.0.0.1", port=self.port)
        self.held = None
        users = folder / "users.txt"
        users.write_text(f'"{target.username}" ""\n')
        config = folder / "pgbouncer.ini"
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
default_pool_size = 2
server_round_robin = 0
ignore_startup_parameters = extra_float_digits
logfile = {folder}/pgbouncer.log
"""
        )
        command = [PGBOUNCER, str(config)]
        if os.geteuid() == 0:
            # PgBouncer will not run as root.
            nobody = pwd.getpwnam("nobody")
            for path in (folder, users, config):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            command = [PGBOUNCER, "-u", "nobody", str(config)]
        with (folder / "stderr").open("w") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.libpq(), autocommit=True) as connection:
                    connection.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                time.sleep(0.1)
        self.stop()
        logs = [folder / "stderr", folder / "pgbouncer.log"]
        raise RuntimeError("\n".join(log.read_text() for log in logs if log.exists()))

    def libpq(self):
        url = self.url
        return f"host={url.host} port={url.port} dbname={url.database} user={url.username}"

    def switch_server_connection(self):
        """Make Hearth's next statements run on the other server connection: hold the one
        it used last in a transaction (while a hold is on the other, it is the only one
        free), then free the other."""
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


@pytest.fixture
def pgbouncer(app):
    # Not tmp_path: pytest keeps it where only its owner may go, and PgBouncer runs as
    # nobody when the tests run as root.
    folder = Path(tempfile.mkdtemp(prefix="hearth-pgbouncer-"))
    folder.chmod(0o755)
    bouncer = PgBouncer(folder, app.config["SQLALCHEMY_DATABASE_URI"])
    yield bouncer
    bouncer.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def walk(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        add_member(walkers, make_user(email="mia@example.org"))
        event = make_event(walkers, title="Canal walk", capacity=5)
        db.session.commit()
        return event.id


def a_members_visit(app, pgbouncer, event_id):
    """Mia logs in, opens the event, answers it and opens it again, each request on the
    other server connection than the last; the answers' statuses."""
    pgbouncer.switch_server_connection()
    mia = logged_in(app, "mia@example.org")
    statuses = []
    for request in [
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
        lambda: mia.submit(f"/events/{event_id}/rsvp", {"answer": "going"}),
        lambda: mia.get(f"/events/{event_id}", follow_redirects=True),
    ]:
        pgbouncer.switch_server_connection()
        statuses.append(request().status_code)
    return statuses


def test_hearth_runs_through_pgbouncer_in_transaction_mode(app, pgbouncer, walk):
    url = pgbouncer.url.render_as_string(hide_password=False)
    with app_like(app, SQLALCHEMY_DATABASE_URI=url, DATABASE_TRANSACTION_POOLER=True) as pooled:
        assert a_members_visit(pooled, pgbouncer, walk) == [200, 200, 303, 200]
        with pooled.app_context():
            (answer,) = db.session.scalars(db.select(Rsvp).where(Rsvp.event_id == walk)).all()
            assert answer.answer == "going"


@pytest.mark.expects_server_error
def test_without_the_setting_the_same_visit_fails(app, pgbouncer, walk, caplog):
    """What the setting is for (and that the test above moves Hearth between server
    connections): statements prepared on one are unknown on the other."""
    url = pgbouncer.url.render_as_string(hide_password=False)
    with app_like(app, SQLALCHEMY_DATABASE_URI=url) as unpooled:
        assert 500 in a_members_visit(unpooled, pgbouncer, walk)
    assert "InvalidSqlStatementName" in caplog.text
