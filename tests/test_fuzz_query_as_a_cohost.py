"""Fuzzed query parameters break no page of an event's co-host (the fuzz world's co-host
runs its draft and its main event; the other roles: tests/test_fuzz_query.py and
tests/test_fuzz_query_as_managers.py, each in a test process of its own)."""

import pytest

from tests.support.fuzz import examples
from tests.test_fuzz_query import assert_queries_break_no_page


@pytest.mark.timeout(examples(300))
def test_query_parameters_never_break_a_cohosts_page(app, fuzz_world):
    assert_queries_break_no_page(app, fuzz_world, ("cohost",))
