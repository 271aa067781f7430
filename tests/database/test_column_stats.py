"""How common a LIKE pattern is, from PostgreSQL's statistics of a column, and LIKE itself
in Python."""

import pytest

from tests.events.test_search_walk import searchable  # noqa: F401  (a fixture)
from tests.support.engine_events import listening
from webapp.database.column_stats import ColumnStats, like_matcher
from webapp.extensions import db
from webapp.groups.queries import like_anywhere


@pytest.mark.parametrize(
    ("pattern", "text", "like"),
    [
        ("%picnic%", "a picnic here", True),
        ("%picnic%", "pic nic", False),
        ("pic%", "picnic", True),
        ("pic%", "a picnic", False),
        ("%nic", "picnic", True),
        ("%nic", "nice", False),
        ("p_c", "pic", True),
        ("p_c", "pc", False),
        ("p_c", "p\nc", True),
        ("%", "", True),
        ("", "", True),
        ("", "x", False),
        ("%%", "abc", True),
        ("a\\%", "a%", True),
        ("a\\%", "ab", False),
        ("a\\\\%", "a\\bc", True),
        (like_anywhere("50%"), "get 50% off", True),
        (like_anywhere("50%"), "get 50 off", False),
        (like_anywhere("a_b"), "xa_by", True),
        (like_anywhere("a_b"), "xacby", False),
        (like_anywhere("c:\\"), "c:\\x", True),
        (like_anywhere("(a+"), "x(a+y", True),
        ("%picnic%", None, False),
    ],
)
def test_like_matches_as_sql_does(pattern, text, like):
    assert like_matcher(pattern)(text) is like


@pytest.mark.postgres
def test_the_share_of_a_word_is_read_from_the_statistics(app, searchable):  # noqa: F811
    """One event in four says picnic, one in ten ferry; the statistics sample a few
    hundred of the 3,000, so their shares are near, not exact."""
    stats = ColumnStats("events", "search_text")
    with app.app_context():
        assert 0.15 <= stats.share_like(like_anywhere("picnic")) <= 0.35
        assert 0.04 <= stats.share_like(like_anywhere("ferry")) <= 0.16
        assert stats.share_like(like_anywhere("nowhere")) == 0
        assert stats.share_like(like_anywhere("outing")) > 0.9


@pytest.mark.postgres
def test_the_statistics_are_read_once_and_kept(app, searchable):  # noqa: F811
    stats = ColumnStats("events", "search_text")
    ran = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        ran.append(statement)

    with app.app_context(), listening(db.engine, "before_cursor_execute", capture):
        for word in ("picnic", "ferry", "nowhere"):
            stats.share_like(like_anywhere(word))
        assert len(ran) == 1
        stats.forget()
        stats.share_like(like_anywhere("picnic"))
        assert len(ran) == 2


def test_a_column_without_statistics_says_nothing(app):
    """SQLite keeps none; on PostgreSQL, a column of a table never analyzed has none."""
    stats = ColumnStats("events", "no_such_column")
    with app.app_context():
        assert stats.share_like(like_anywhere("picnic")) is None
