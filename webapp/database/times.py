"""Times are stored in UTC and compared as aware datetimes, on SQLite as on PostgreSQL."""

from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow():
    return datetime.now(UTC)


def as_utc(moment):
    """SQLite hands back naive datetimes; they were written as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware column that reads back aware on every database."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)

    def result_processor(self, dialect, coltype):
        if dialect.name == "postgresql":
            # timestamptz reads back aware already: nothing to do for each value of
            # each row (as_utc would hand it back unchanged).
            return self.impl_instance.result_processor(dialect, coltype)
        return super().result_processor(dialect, coltype)
