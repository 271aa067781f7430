"""The bench's vote rush, run as `make bench` runs it (members logged in from browsers of
their own, posting together) against the app served from a thread on a seeded database."""

import copy
import threading

import pytest
from werkzeug.serving import make_server

from benchmarks.vote_rush import VOTERS, vote_rush
from tests.seed.test_seed import SCALE

# Votes at the same moment need a database that takes them at once.
pytestmark = pytest.mark.postgres


@pytest.fixture
def served(app, monkeypatch):
    # A hundred logins from one address within seconds, as the bench's instances allow.
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "1000 per minute")
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


@pytest.mark.timeout(180)
def test_a_hundred_seeded_members_vote_at_once_and_the_counts_are_exact(app, served):
    result = vote_rush(served, app.config["SQLALCHEMY_DATABASE_URI"])

    assert result.timings.statuses == {200: VOTERS}
    assert result.after["voter_count"] == result.before["voter_count"] + VOTERS
    assert sum(result.given.values()) == VOTERS
    assert result.exact
    assert result.line().endswith("counts exact")
    # The check itself: one counter off, or a voter too many, and the counts are wrong.
    off = copy.deepcopy(result)
    next(iter(off.after["options"].values()))["yes_count"] += 1
    assert not off.exact
    extra = copy.deepcopy(result)
    extra.after["voter_count"] += 1
    assert not extra.exact
    assert extra.line().endswith("counts WRONG")
