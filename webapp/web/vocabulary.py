"""States, roles and policies as enums with labels: defined once, shown with one filter.

A member's value is its stored string (a StrEnum compares equal to it); `.label` is how
people read it, in Python and in templates. `EnumText` columns read back members, and
`one_of` builds the database check constraint from the same enum, so the allowed values
cannot drift from the Python ones.
"""

import enum
import re

import sqlalchemy as sa

_STORED_VALUE = re.compile(r"[a-z_]+")


class LabelledEnum(enum.StrEnum):
    """An enum whose members are written `NAME = "stored value", _l("Label people read")`:
    the label is lazy, read in the language of whoever reads it."""

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def values(cls):
        return [member.value for member in cls]

    @classmethod
    def choices(cls):
        return [(member.value, member.label) for member in cls]


def sql_constant(member):
    """member as a constant written in a statement's SQL (`'published'`), not a value sent
    beside it: a statement that PostgreSQL plans once for any values (db_setup.prepared's
    one_plan) can then estimate how many rows it holds, and walk a partial index only when
    it reads there that the index's condition holds."""
    value = str(member)
    if not _STORED_VALUE.fullmatch(value):
        raise ValueError(f"not a stored value to write in SQL: {value!r}")
    return sa.literal_column(f"'{value}'")


def one_of(column, members, name=None):
    """A check constraint: column holds one of members (an enum class, or some of its members)."""
    values = [str(member) for member in members]
    return sa.CheckConstraint(sa.column(column).in_(values), name=name or column)


class EnumText(sa.types.TypeDecorator):
    """A text column that stores an enum's value and reads back the enum member, so
    `membership.role.label` works anywhere; a value outside the enum fails before SQL."""

    impl = sa.String
    cache_ok = True

    def __init__(self, enum_class, length):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)

    def result_processor(self, dialect, coltype):
        # Run for every value of every row read: a lookup in a dict made once, rather
        # than the enum's own call (three Python calls) through the decorator's wrapper.
        if self.impl_instance.result_processor(dialect, coltype) is not None:
            return super().result_processor(dialect, coltype)
        members = {member.value: member for member in self.enum_class}

        def to_member(value):
            return None if value is None else members[value]

        return to_member
