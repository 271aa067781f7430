"""How common a LIKE pattern is in a column, judged as PostgreSQL judges it when it plans:
against the column's statistics (pg_stats: its most common values and a histogram of the
rest, a sample that ANALYZE, and so autovacuum, keeps current).

For a list that chooses its own way to a page (webapp.web.listing.Listing's walk_first) without
asking PostgreSQL to plan the statement for each value. A wrong guess costs time, never
a wrong answer: the list checks what its walk found.
"""

import re
import time

import sqlalchemy as sa

from webapp.extensions import db

# How long a process keeps a column's statistics before it reads them again: about as
# often as autovacuum analyzes a table that changes.
KEPT_FOR_SECONDS = 600
# Fewer values than this say too little (a table never analyzed, or nearly empty).
FEWEST_VALUES = 20

_STATISTICS = sa.text(
    "SELECT most_common_vals::text::text[], most_common_freqs,"
    " histogram_bounds::text::text[], null_frac"
    " FROM pg_stats"
    " WHERE schemaname = current_schema() AND tablename = :table AND attname = :column"
)


class _Statistics:
    def __init__(self, common, common_freqs, histogram, null_share):
        self.common = list(zip(common or (), common_freqs or (), strict=True))
        self.histogram = histogram or []
        # The share of rows the histogram stands for: neither a common value nor NULL.
        self.histogram_share = max(0.0, 1.0 - null_share - sum(common_freqs or ()))

    def share_matching(self, matches):
        if len(self.common) + len(self.histogram) < FEWEST_VALUES:
            return None
        share = sum(freq for value, freq in self.common if matches(value))
        if self.histogram:
            found = sum(1 for value in self.histogram if matches(value))
            share += self.histogram_share * found / len(self.histogram)
        return share


_ALL = []


def forget_all():
    """Read every column's statistics afresh when next asked (a test's new tables)."""
    for stats in _ALL:
        stats.forget()


def read_all():
    """Read every column's statistics now, as a request would once in KEPT_FOR_SECONDS
    (so that a count of one request's statements leaves that read out)."""
    for stats in _ALL:
        stats.forget()
        stats.statistics()


class ColumnStats:
    """A text column's statistics, read on PostgreSQL once in KEPT_FOR_SECONDS per process."""

    def __init__(self, table, column):
        self.table, self.column = table, column
        self._read = None  # (monotonic time read, _Statistics or None)
        _ALL.append(self)

    def forget(self):
        self._read = None

    def statistics(self):
        now = time.monotonic()
        if self._read is None or now - self._read[0] > KEPT_FOR_SECONDS:
            statistics = None
            if db.session.get_bind().dialect.name == "postgresql":
                row = db.session.execute(
                    _STATISTICS, {"table": self.table, "column": self.column}
                ).first()
                statistics = _Statistics(*row) if row is not None else None
            self._read = (now, statistics)
        return self._read[1]

    def share_like(self, pattern, escape="\\"):
        """The share of rows (0 to 1) whose value is LIKE pattern, or None when the column
        has no statistics to tell (SQLite, or a table not yet analyzed)."""
        statistics = self.statistics()
        if statistics is None:
            return None
        return statistics.share_matching(like_matcher(pattern, escape))


ANY_TEXT = ".*"


def like_matcher(pattern, escape="\\"):
    """A function telling whether a text is LIKE pattern (% any text, _ one character,
    escape making the next one literal), as SQL's LIKE, case and all."""
    parts, characters = [], iter(pattern)
    for character in characters:
        if character == escape:
            parts.append(re.escape(next(characters, escape)))
        elif character == "%":
            parts.append(ANY_TEXT)
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character))
    # Searched for, not matched whole, where the pattern starts or ends with %: the
    # regular expression module then looks for the text between as a plain string,
    # many times faster than trying ".*" at every character.
    start = [] if parts[:1] == [ANY_TEXT] else [r"\A"]
    end = [] if parts[-1:] == [ANY_TEXT] else [r"\Z"]
    while parts[:1] == [ANY_TEXT]:
        parts.pop(0)
    while parts[-1:] == [ANY_TEXT]:
        parts.pop()
    compiled = re.compile("".join(start + parts + end), re.DOTALL)
    return lambda text: text is not None and compiled.search(text) is not None
