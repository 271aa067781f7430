"""The order of a list paged by its keys (Sort), and a key as an address holds it.

A page's Next link names the key of its last row (`after`), its Previous link the key of
its first (`before`); Sort writes those keys as text and reads them back, refusing any
text that is not one, and gives the SQL that compares a row with a key
(webapp.web.pagination reads the pages; webapp.web.listing builds their statements).
"""

import re
from datetime import UTC, datetime
from typing import NamedTuple

import sqlalchemy as sa

# What separates the values of a key in an address (after=, before=).
_KEY_SEPARATOR = "~"
# Whole numbers in keys are ids: PostgreSQL's integer.
_LARGEST_ID = 2**31 - 1
# ASCII digits only: int() would also take "1_000", " 7" and other scripts' digits.
WHOLE_NUMBER = re.compile(r"[0-9]+")


class Sort(NamedTuple):
    """The order of a list that is paged by its keys: columns all ascending or all
    descending, the last one unique."""

    columns: tuple
    descending: bool = False

    def order(self, columns=None):
        """ORDER BY clauses for this order, of its columns or of columns standing for them
        (a page's keys)."""
        columns = self.columns if columns is None else columns
        return [column.desc() if self.descending else column for column in columns]

    def reverse(self):
        return Sort(self.columns, not self.descending)

    def _compared(self):
        """The sort's columns, and the key in the bind parameters key_0, key_1...: as one
        row each, whose comparison walks the sort's index from the key."""
        key = (sa.bindparam(f"key_{i}", type_=col.type) for i, col in enumerate(self.columns))
        return sa.tuple_(*self.columns), sa.tuple_(*key)

    def after(self):
        """SQL: a row comes after the key."""
        columns, key = self._compared()
        return columns < key if self.descending else columns > key

    def before(self):
        """SQL: a row comes before the key."""
        columns, key = self._compared()
        return columns > key if self.descending else columns < key

    def from_key(self):
        """SQL: a row is the key's, or comes after it."""
        columns, key = self._compared()
        return columns <= key if self.descending else columns >= key

    def key_text(self, row):
        """The key of row (an object with the sort's columns as attributes) as an
        address holds it: its values joined by "~", times in UTC ("...Z")."""
        return _KEY_SEPARATOR.join(_value_text(getattr(row, column.key)) for column in self.columns)

    def parse_key(self, text):
        """The bind parameters of the key (after(), before()) for a key_text, or None
        when text is not one.

        Only the first column may be text (a name can hold "~"); the others are read
        from the right.
        """
        parts = text.rsplit(_KEY_SEPARATOR, len(self.columns) - 1)
        if len(parts) != len(self.columns):
            return None
        values = {}
        for i, (column, part) in enumerate(zip(self.columns, parts, strict=True)):
            value = _parse_value(column, part)
            if value is None:
                return None
            values[f"key_{i}"] = value
        return values


def _value_text(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(value)


def _parse_value(column, text):
    """text as a value of column, or None: an id, an aware time, or text that fits."""
    # A TypeDecorator's own python_type is object: its underlying type's says.
    kind = getattr(column.type, "impl_instance", column.type).python_type
    if kind is int:
        if not WHOLE_NUMBER.fullmatch(text) or len(text) > 10 or int(text) > _LARGEST_ID:
            return None
        return int(text)
    if kind is datetime:
        try:
            moment = datetime.fromisoformat(text) if len(text) <= 40 else None
            # In UTC, the first and last days of the calendar may fall outside it.
            return moment.astimezone(UTC) if moment and moment.tzinfo else None
        except (ValueError, OverflowError):
            return None
    if kind is str:
        length = getattr(column.type, "length", None) or 1000
        return text if len(text) <= length else None
    return None
