"""Database details that differ between the embedded SQLite and PostgreSQL."""

import sqlite3
import weakref

import flask_sqlalchemy.session
import psycopg
import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BindParameter, BooleanClauseList, ColumnClause
from sqlalchemy.sql.selectable import SelectBase


def enable_sqlite_foreign_keys(app):
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked on each connection."""
    from webapp.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, connection_record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()


# Execution options. PREPARED: this statement's plan is the same for every value it is
# given (a lookup by key), so PostgreSQL may keep it prepared on the connection. ONE_PLAN:
# and PostgreSQL is to keep one plan for all its values (see prepared).
PREPARED = "hearth_prepared"
ONE_PLAN = "hearth_one_plan"
# plan_cache_mode is read each time a prepared statement runs: set around one, in the same
# round trip. Both are prepared too (they are the same text every time).
_ONE_PLAN_FOR_ALL = "SET plan_cache_mode = force_generic_plan"
_PLANS_AS_CONFIGURED = "RESET plan_cache_mode"


def prepared(statement, one_plan=False):
    """statement, marked to run as a server-side prepared statement on PostgreSQL.

    PostgreSQL then decides by itself, after five runs, whether to keep one plan for all
    values: when that plan looks no dearer than those made for each run's values.
    one_plan: keep one plan from the first run. A page of /events is the same walk of an
    index whatever its values, but planned for values unknown its walk looked longer, so
    PostgreSQL planned it anew on every run, which took as long as running it. Only for a
    statement whose plan for any values a test checks; a partial index serves that plan
    only when the statement spells out the index's condition (vocabulary.sql_constant).
    """
    options = {PREPARED: True, ONE_PLAN: True} if one_plan else {PREPARED: True}
    return statement.execution_options(**options)


def _plan_is_fixed(compiled):
    """Whether compiled is a write whose plan cannot depend on its values: an INSERT of
    values, or an UPDATE or DELETE of the row its primary key names (every statement the
    ORM's flush sends), with no query inside it (a subquery's plan may depend on them)."""
    statement = compiled.statement
    if isinstance(statement, sa.Insert):
        fixed = statement.select is None
    elif isinstance(statement, (sa.Update, sa.Delete)):
        fixed = _names_one_row(statement)
    else:
        return False
    return fixed and not any(isinstance(e, SelectBase) for e in visitors.iterate(statement))


def _names_one_row(statement):
    """Its WHERE sets every column of the table's primary key equal to a value."""
    where = statement.whereclause
    if where is None:
        return False
    if isinstance(where, BooleanClauseList):
        if where.operator is not operators.and_:
            return False
        terms = where.clauses
    else:
        terms = [where]
    table = statement.table
    pinned = {
        term.left.name
        for term in terms
        if getattr(term, "operator", None) is operators.eq
        and isinstance(term.left, ColumnClause)
        and isinstance(term.right, BindParameter)
        and term.left.table is not None
        and term.left.table.name == table.name
    }
    key = {column.name for column in table.primary_key}
    return bool(key) and key <= pinned


# Compiled statement -> _plan_is_fixed. SQLAlchemy caches a compiled statement for each
# shape and reuses it, so each is looked into once.
_fixed_plans = weakref.WeakKeyDictionary()


def _prepares(context):
    if context is None:
        return False
    if context.execution_options.get(PREPARED, False):
        return True
    compiled = context.compiled
    if compiled is None or not (context.isinsert or context.isupdate or context.isdelete):
        return False
    fixed = _fixed_plans.get(compiled)
    if fixed is None:
        fixed = _fixed_plans[compiled] = _plan_is_fixed(compiled)
    return fixed


def prepare_marked_statements(app):
    """Run statements marked with prepared() as prepared statements, and writes whose plan
    cannot depend on their values (_plan_is_fixed), and no others.

    Planning a lookup by key (a join of a few tables by primary key, say) cost PostgreSQL
    more than running it, on every page. Preparing every
    statement is wrong the other way: after five runs PostgreSQL may keep one generic
    plan for all values, and a list filtered by a very big group then ran far slower than
    with a plan of its own (config.py turns psycopg's automatic preparing off for that).
    A write by key was planned anew each time too: an RSVP's six while it held the
    event's lock.
    """
    from webapp.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg"):
        return
    if app.config["DATABASE_TRANSACTION_POOLER"]:
        # A statement prepared on one server connection is unknown on the next, and the
        # plan mode set around one is connection state too: each is planned as it runs.
        return

    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _prepare_if_marked(conn, cursor, statement, parameters, context, executemany):
            # 0: prepare on the first run and reuse after; None: neither prepare nor reuse.
            cursor.connection.prepare_threshold = 0 if _prepares(context) else None

        @event.listens_for(db.engine, "do_execute")
        def _run_with_one_plan(cursor, statement, parameters, context):
            if not context.execution_options.get(ONE_PLAN, False):
                return False
            if isinstance(cursor, psycopg.ServerCursor) or not psycopg.Pipeline.is_supported():
                # A streamed statement's cursor is declared on the server (no prepare, no
                # pipeline), and libpq before 14 has no pipeline mode: either way the
                # statement runs as any other, planned as PostgreSQL chooses.
                return False
            # One round trip. Should the statement fail, the server skips the rest, and
            # rolls back the transaction the SET ran in (the request's, or on a GET, the
            # implicit one of these three): either way the mode is back as configured.
            connection = cursor.connection
            with connection.pipeline():
                connection.execute(_ONE_PLAN_FOR_ALL, prepare=True)
                cursor.execute(statement, parameters, prepare=True)
                connection.execute(_PLANS_AS_CONFIGURED, prepare=True)
            return True


# Methods that must not change anything: they never commit (webapp.database.unit_of_work),
# read without a transaction (Session below) and are the only ones retried after a dropped
# connection.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reading_engines = weakref.WeakKeyDictionary()


class Session(flask_sqlalchemy.session.Session):
    """Reads outside a transaction on GET, HEAD and OPTIONS requests.

    They never commit (webapp.database.unit_of_work), so a transaction only cost two round
    trips each: BEGIN before the first query and ROLLBACK when the connection went back to the pool.
    With the connection in autocommit there is neither; requests that write (POST and
    the other unsafe methods) keep their one transaction.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        engine = super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
        if (
            bind is None
            and isinstance(engine, sa.Engine)
            and has_request_context()
            and request.method in SAFE_METHODS
        ):
            return _reading_engine(engine)
        return engine


def _reading_engine(engine):
    reading = _reading_engines.get(engine)
    if reading is None:
        reading = _reading_engines[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return reading


def is_dropped_connection(error):
    """The database closed a pooled connection (a restart, a failover, an idle timeout).

    Without a ping before each checkout, the first query on such a connection fails;
    SQLAlchemy then discards the whole pool, so the same request made again succeeds.
    """
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


# SQLSTATEs of a server that cannot serve at all just now: a connection exception (class
# 08), or the server shutting down, crashed or still starting (57P01 to 57P03).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03")


def is_unreachable_database(error):
    """The database cannot be reached: down, refusing connections, restarting, or it closed
    the connection under a query.

    A statement the database refused (a constraint, a statement timeout, a serialization
    failure) is not this, though some are OperationalErrors too: that is a bug or a race,
    for the caller to answer otherwise.
    """
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return False
    cause = error.orig
    if isinstance(cause, psycopg.Error):
        # No SQLSTATE: the client itself found no server (refused, closed, timed out).
        return cause.sqlstate is None or cause.sqlstate.startswith(_UNAVAILABLE_STATES)
    # SQLite: the database file cannot be opened.
    return getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_CANTOPEN
