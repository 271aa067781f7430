"""Fuzzed query parameters break no page of the group's owner or of a site admin (the
visitor's and the member's pages: tests/test_fuzz_query.py, in another test process)."""

import pytest

from tests.support.fuzz import examples
from tests.test_fuzz_query import assert_queries_break_no_page


@pytest.mark.timeout(examples(300))
def test_query_parameters_never_break_a_managers_page(app, fuzz_world):
    assert_queries_break_no_page(app, fuzz_world, ("owner", "admin"))
