"""Reads of every table, which the suite makes around most tests: which tables hold rows
(to empty them), a fingerprint of them all (is a shared world as built?), and every row
(did a refused request, or a GET, change anything?).

Each query's text is built once, and on PostgreSQL runs as a server-side prepared
statement. The app plans each statement anew (config.py says why); for a query over every
table, planning cost PostgreSQL several times the running, and the suite makes these
reads several times for each authorization cell. A prepared statement lasts as long as
its connection, but psycopg deallocates every one at a rollback, and the app's requests
end theirs so on the connections of its pool: these reads go through a connection of
their own (per database), in autocommit, which nothing rolls back. Each read is one
statement, and so sees one moment, committed, as a read on another of the app's
connections did.
"""

from contextlib import contextmanager
from functools import cache

import sqlalchemy as sa

from webapp.database.setup import PREPARED
from webapp.extensions import db

# Every table the migrations made, those only their triggers write included (no model
# maps them), but the migrations' own record: each name as it is, and quoted.
SCHEMA_TABLES = (
    "SELECT tablename, quote_ident(tablename) FROM pg_tables"
    " WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
    " ORDER BY tablename"
)


@cache
def tables():
    """The schema's tables, parents first (SQLAlchemy sorts them anew each time it is
    asked, which cost more than some of the queries built from them)."""
    return tuple(db.metadata.sorted_tables)


@contextmanager
def reading(app):
    """A connection for reads only: on PostgreSQL the suite's own to app's database (see
    the module's docstring); elsewhere one of app's, its transaction committed at the end."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with _reader(db.engine.url).connect() as connection:
                yield connection
            return
        with db.engine.connect() as connection:
            yield connection
            connection.commit()


@cache
def _reader(url):
    """An engine of one connection in autocommit to the database at url, which prepares
    every statement it runs (they are these reads alone). It pings its connection before
    each read: a test's scratch database is dropped with its connections."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=True)

    @sa.event.listens_for(engine, "connect")
    def _prepare_everything(dbapi_connection, connection_record):
        dbapi_connection.prepare_threshold = 0

    return engine


def run_prepared(connection, sql):
    """sql's result, through connection (SQLAlchemy's), prepared on the first run on each
    PostgreSQL connection and reused after; elsewhere simply run."""
    return connection.exec_driver_sql(sql, execution_options={PREPARED: True})


def holding_rows(app):
    """The tables holding rows, children first: one query, however many tables exist."""
    children_first = tables()[::-1]
    with reading(app) as connection:
        found = run_prepared(connection, _holding_rows_sql(connection.dialect)).scalars()
        return [children_first[index] for index in sorted(found)]


def fingerprint(app):
    """What every table holds, in one query. On PostgreSQL each table's count of rows and
    the newest transaction that wrote a row still there: an insert or an update makes a
    row version of a newer transaction, a delete lowers the count. Elsewhere every row."""
    with reading(app) as connection:
        if connection.dialect.name != "postgresql":
            return [sorted(map(repr, connection.execute(sa.select(table)))) for table in tables()]
        return sorted(run_prepared(connection, _fingerprint_sql(connection.dialect)).all())


def rows(app):
    """Every row of every table, by table name. On PostgreSQL each table's rows as text,
    in one query."""
    with reading(app) as connection:
        if connection.dialect.name != "postgresql":
            return {
                table.name: sorted(map(repr, connection.execute(sa.select(table))))
                for table in tables()
            }
        found = run_prepared(connection, _rows_sql(connection.dialect)).all()
        return {tables()[index].name: table_rows or [] for index, table_rows in found}


@cache
def _holding_rows_sql(dialect):
    query = sa.union_all(
        *(
            sa.select(sa.literal(index)).where(sa.exists(sa.select(sa.literal(1)).select_from(t)))
            for index, t in enumerate(tables()[::-1])
        )
    )
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@cache
def _fingerprint_sql(dialect):
    quote = dialect.identifier_preparer.quote
    # Our own table names, quoted: no outside input.
    return " UNION ALL ".join(
        f"SELECT {index}, count(*), max(xmin::text::bigint) FROM {quote(table.name)}"  # noqa: S608
        for index, table in enumerate(tables())
    )


@cache
def _rows_sql(dialect):
    quote = dialect.identifier_preparer.quote
    # Our own table names, quoted: no outside input.
    return " UNION ALL ".join(
        f"SELECT {index}, (SELECT array_agg(r::text ORDER BY r::text)"  # noqa: S608
        f" FROM {quote(table.name)} AS r)"
        for index, table in enumerate(tables())
    )
