"""What the bench's rushes share in tests: the app served from a thread on a database
seeded as `make bench` seeds it (tests/seed/test_seed.py's small scale)."""

import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.seed.test_seed import SCALE
from webapp.accounts.models import User
from webapp.accounts.passwords import hash_password
from webapp.extensions import db
from webapp.seed import SEED_PASSWORD


@pytest.fixture
def served(app, monkeypatch):
    """The port of the seeded app, served from a thread."""
    # A hundred logins from one address within seconds, as the bench's instances allow.
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "1000 per minute")
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output
    # The seed's shared hash is as dear to check as production's; a rush is timed after
    # its members log in, so here they log in with the tests' cheaper hash of it.
    with app.app_context():
        db.session.execute(sa.update(User).values(password_hash=hash_password(SEED_PASSWORD)))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
