"""The order the test processes take modules in (tests/conftest.py's
longest_modules_first): the longest a test of theirs may take first, then the most tests;
each module whole, its tests in their own order."""

import pytest

from tests.conftest import longest_modules_first


class _Config:
    def getini(self, name):
        assert name == "timeout"
        return "60"


class _Item:
    def __init__(self, nodeid, timeout=None):
        self.nodeid = nodeid
        self._timeout = pytest.mark.timeout(timeout).mark if timeout else None

    def get_closest_marker(self, name):
        return self._timeout if name == "timeout" else None

    def __repr__(self):
        return self.nodeid


def test_modules_that_may_take_longest_go_first_each_whole_and_in_its_own_order():
    collected = [
        _Item("tests/a_test.py::one"),
        _Item("tests/a_test.py::two"),
        _Item("tests/b_test.py::only", timeout=300),
        _Item("tests/c_test.py::quick"),
        _Item("tests/c_test.py::slow", timeout=180),
        _Item("tests/a_test.py::three"),
        _Item("tests/d_test.py::one"),
        _Item("tests/d_test.py::two"),
        _Item("tests/d_test.py::three"),
        _Item("tests/d_test.py::four"),
    ]

    ordered = [item.nodeid for item in longest_modules_first(_Config(), collected)]

    assert ordered == [
        "tests/b_test.py::only",
        "tests/c_test.py::quick",
        "tests/c_test.py::slow",
        "tests/d_test.py::one",
        "tests/d_test.py::two",
        "tests/d_test.py::three",
        "tests/d_test.py::four",
        "tests/a_test.py::one",
        "tests/a_test.py::two",
        "tests/a_test.py::three",
    ]
