"""The bench's vote rush, run as `make bench` runs it (members logged in from browsers of
their own, posting together) against the app served from a thread on a seeded database
(tests/operations/conftest.py)."""

import copy

import pytest

from benchmarks.vote_rush import VOTERS, vote_rush

# Votes at the same moment need a database that takes them at once.
pytestmark = pytest.mark.postgres


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
