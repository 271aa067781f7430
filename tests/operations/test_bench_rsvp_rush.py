"""The bench's RSVP rush, run as `make bench` runs it: three times, fifty seeded members
answer going at once to an event with ten places, against the app served from a thread
(tests/operations/conftest.py); the places go exactly, the rest wait in line."""

import copy

import pytest

from benchmarks.rush import CAPACITY, RUNS, RUSHERS, rush

# Answers at the same moment need a database that takes them at once.
pytestmark = pytest.mark.postgres


@pytest.mark.timeout(240)
def test_fifty_members_race_for_ten_places_three_times_and_the_counts_are_exact(app, served):
    result = rush(served, app.config["SQLALCHEMY_DATABASE_URI"])

    assert len(result.runs) == RUNS
    for run in result.runs:
        assert run.timings.statuses == {200: RUSHERS}
        assert run.counts["going_rows"] == CAPACITY
        assert run.counts["waiting_rows"] == RUSHERS - CAPACITY
        assert run.exact
    assert result.line().endswith("counts exact in every run")
    assert f"answers {{200: {RUNS * RUSHERS}}}" in result.line()
    # The check itself: a place taken twice, or a ticket shared, and the counts are wrong.
    over = copy.deepcopy(result)
    over.runs[1].counts["places_taken"] += 1
    assert not over.exact
    shared = copy.deepcopy(result)
    shared.runs[2].counts["distinct_tickets"] -= 1
    assert not shared.exact
    assert shared.line().endswith("counts WRONG in run 3")
