"""A world's rows (on PostgreSQL) and its live versions (in Redis) kept aside and put back
as they were.

Building a shared world (conftest's SharedWorld) again through the factories after each
test that changed it, everyone logged in anew, takes most of an authorization table's
time. Putting the kept rows back gives the next test the very rows the build made (the
same ids, the same session rows behind the logins' cookies) for a fraction of it.

Every table of the schema is kept, those only the migrations' triggers write included,
each as PostgreSQL's own COPY text (no value passes through Python's types). The rows go
back with triggers off (`session_replication_role = replica`): they are kept as the
triggers left them, and a trigger firing again would count its rows twice. That takes a
superuser, as the test server's user is; elsewhere (SQLite, another user) no snapshot is
taken and the world is built again as before. Files the world stored are not rows: a
world whose upload folder changed is built again too.
"""

import itertools
import os
from pathlib import Path

from sqlalchemy.exc import OperationalError

from tests.support import every_table
from webapp.database.redis_client import get_redis
from webapp.extensions import db

# A put-back deletes the rows first, and deleted rows stay in their table's pages until a
# VACUUM: once in this many, every table is emptied by TRUNCATE instead (as conftest's
# empty_database does, for the same reason).
TRUNCATE_EVERY = 50
_put_back = itertools.count(1)


def _folder_state(folder):
    """Every file under folder: its path, size and time of change."""
    if not folder or not os.path.isdir(folder):
        return ()
    return tuple(
        sorted(
            (str(path), (stat := path.stat()).st_size, stat.st_mtime_ns)
            for path in Path(folder).rglob("*")
            if path.is_file()
        )
    )


def _tables_with_rows(cursor):
    """Every table, and those holding rows. Both queries run prepared (psycopg's prepare):
    see tests/support/every_table.py."""
    found = cursor.execute(every_table.SCHEMA_TABLES, prepare=True).fetchall()
    tables = [quoted for _, quoted in found]
    probe = " UNION ALL ".join(
        # Names from the catalogue, quoted by PostgreSQL: no outside input.
        f"SELECT {index} FROM (SELECT 1 FROM {name} LIMIT 1) AS t{index}"  # noqa: S608
        for index, name in enumerate(tables)
    )
    return tables, [tables[index] for (index,) in cursor.execute(probe, prepare=True).fetchall()]


def _truncated(connection, tables):
    """Every table emptied by TRUNCATE, unless another transaction holds a lock on one (a
    request of a test's thread still at work): then False, and nothing done."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            connection.exec_driver_sql("TRUNCATE " + ", ".join(tables))
    except OperationalError:
        return False
    return True


class Snapshot:
    """The rows of every table at one moment; `take` gives None where they could not be
    put back (see the module's docstring)."""

    def __init__(self, rows, uploads):
        self.rows = rows  # {quoted table name: its rows as COPY text}
        self.uploads = uploads

    @classmethod
    def take(cls, app):
        with app.app_context():
            if db.engine.dialect.name != "postgresql":
                return None
        # On the suite's own connection for reads (every_table.reading): its prepared probe
        # lasts there.
        with every_table.reading(app) as connection:
            raw = connection.connection.driver_connection
            with raw.cursor() as cursor:
                if cursor.execute("SHOW is_superuser").fetchone()[0] != "on":
                    return None
                _, filled = _tables_with_rows(cursor)
                rows = {}
                for table in filled:
                    with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                        rows[table] = b"".join(bytes(chunk) for chunk in copy)
        return cls(rows, _folder_state(app.config.get("UPLOAD_DIR")))

    def can_put_back(self, app):
        """Only rows changed since: the files the world stored are as they were."""
        return _folder_state(app.config.get("UPLOAD_DIR")) == self.uploads

    def put_back(self, app):
        """Every table as it was when taken, in one transaction."""
        # Read where the probe stays prepared (every_table.reading); nothing writes meanwhile.
        with (
            every_table.reading(app) as reader,
            reader.connection.driver_connection.cursor() as cursor,
        ):
            tables, filled = _tables_with_rows(cursor)
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                raw = connection.connection.driver_connection
                with raw.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    now_and_then = next(_put_back) % TRUNCATE_EVERY == 0
                    if not (now_and_then and _truncated(connection, tables)):
                        for table in filled:
                            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - as above
                    for table, data in self.rows.items():
                        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                            copy.write(data)


def forget_live_topics(redis):
    """The live parts' versions (webapp/live/__init__.py) of rows just deleted: on SQLite the
    next rows take the same ids again, and would start from these."""
    for key in list(redis.scan_iter("live:*")):
        redis.delete(key)


class LiveVersions:
    """The live parts' versions in Redis at one moment, put back as they were (a read that
    found none starts one, and the next test would see it moved on)."""

    def __init__(self, app):
        with app.app_context():
            redis = get_redis()
            self.kept = {}
            for key in redis.scan_iter("live:*"):
                ttl, dumped = redis.pttl(key), redis.dump(key)
                if dumped is not None:
                    self.kept[key] = (ttl, dumped)

    def put_back(self, app):
        with app.app_context():
            redis = get_redis()
            forget_live_topics(redis)
            for key, (ttl, dumped) in self.kept.items():
                redis.restore(key, max(ttl, 0), dumped)
