"""The one error type for "a rule said no", and the one commit point of a request.

Services raise RuleError and flush; they never commit. The request commits once, after
the view returns: an unsafe request (POST, PUT, DELETE...) that answered below 400 and
refused nothing commits; every other request rolls back. So a view cannot forget a
rollback on an error path, and a GET can never write.
"""

import functools

import sqlalchemy as sa
from flask import Flask, flash, g, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.exceptions import NotFound

from webapp.database.setup import SAFE_METHODS, prepared
from webapp.extensions import db


class RuleError(Exception):
    """A rule said no. The message is fit to show; field names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class RowGone(NotFound):
    """The row a rule came to lock was deleted meanwhile (a poll, a task): the request is
    about nothing any more, and answers as it would have a moment later, 404."""


def refuse(error, form=None):
    """Undo what the refused rule wrote and show its message: beside its field, above the
    form, or as a flashed message when there is no form."""
    db.session.rollback()
    g.refused = True
    if form is not None and error.field and hasattr(form, error.field):
        getattr(form, error.field).errors.append(error.message)
    elif form is not None:
        form.form_errors.append(error.message)
    else:
        flash(error.message, "error")


def lock_row(obj, read_again=False):
    """Lock obj's row until the transaction ends: the parent of a count-then-write.

    PostgreSQL takes a row lock (SELECT ... FOR UPDATE). SQLite ignores FOR UPDATE and
    runs one write transaction at a time, but its driver only begins a transaction at the
    first write: what a request read before that may be stale by the time it writes
    (answers arriving at once booked more people than there were places). So on SQLite a
    write that changes nothing takes the database's write lock here, before anything is
    read.

    read_again: also read obj's columns afresh, as the last holder of the lock left them
    (on PostgreSQL in the same statement that takes the lock). What obj refers to stays
    loaded (an event's group: its key is among the columns read); collections are read
    again when next used, as another request may have changed them.

    RowGone when the row was deleted since obj was read.
    """
    if _read_locked_key(obj) in db.session.info.get(_READ_LOCKED, ()):
        return
    model = type(obj)
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # Text, not an ORM update: that would also run the table's onupdate defaults.
        # A table name from our own model; the row id is a bound parameter.
        table = model.__table__.name
        # nosemgrep: sql-from-a-string
        no_change = sa.text(f"UPDATE {table} SET id = id WHERE id = :id")  # noqa: S608  # nosec B608
        if db.session.execute(no_change, {"id": obj.id}).rowcount == 0:
            raise RowGone()
    if read_again:
        _read_again(obj, with_for_update=not sqlite)
    elif not sqlite and db.session.scalar(_lock_of(model), {"id": obj.id}) is None:
        raise RowGone()


# Rows this transaction read with SELECT ... FOR UPDATE: {(model, id)}.
_READ_LOCKED = "hearth_read_locked"


def _read_locked_key(obj):
    return type(obj), obj.id


def read_locked(obj):
    """obj was just loaded by a SELECT ... FOR UPDATE OF its row, in this transaction, with
    populate_existing: its columns are as the last holder of the lock left them (PostgreSQL
    reads a row again once its lock is free), and lock_row(obj) then asks nothing.
    Forgotten when the transaction ends, as the lock is.

    A request that must lock a row anyway so locks it with the read it needs first, and
    saves a second read under the lock: an RSVP's, while others queue for the event.
    Only the locked row is read again: what the statement joined to it is as it was when
    the statement began. SQLite ignores FOR UPDATE, so there nothing is remembered and
    lock_row takes the lock as ever.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.info.setdefault(_READ_LOCKED, set()).add(_read_locked_key(obj))


@event.listens_for(Session, "after_transaction_end")
def _forget_locks_read(session, transaction):
    # A savepoint rolled back releases the row locks taken after it: any end forgets them.
    session.info.pop(_READ_LOCKED, None)


def _read_again(obj, with_for_update):
    """Read obj's loaded columns afresh, and forget its loaded collections.

    One plain statement and the values set as committed: the ORM's refresh, which did the
    same, cost a thousand Python calls, on every answer to an event while it held the
    event's lock.
    """
    state = sa.inspect(obj)
    unloaded = state.unloaded
    keys = tuple(c.key for c in state.mapper.column_attrs if c.key not in unloaded)
    row = db.session.execute(
        _columns_of(state.mapper, keys, with_for_update), {"id": obj.id}
    ).one_or_none()
    if row is None:
        raise RowGone()
    for key, value in zip(keys, row, strict=True):
        set_committed_value(obj, key, value)
    collections = [r.key for r in state.mapper.relationships if r.uselist and r.key not in unloaded]
    if collections:
        db.session.expire(obj, collections)


@functools.cache
def _lock_of(model):
    """Lock the row with :id, reading its key alone (built once per model)."""
    return prepared(sa.select(model.id).where(model.id == sa.bindparam("id")).with_for_update())


@functools.cache
def _columns_of(mapper, keys, with_for_update):
    """SELECT the columns named keys of the row with :id (built once per shape)."""
    columns = [mapper.column_attrs[key].columns[0] for key in keys]
    statement = prepared(sa.select(*columns).where(mapper.primary_key[0] == sa.bindparam("id")))
    return statement.with_for_update() if with_for_update else statement


def commit_before_rendering():
    """Commit the request's change now, before its response is rendered, for a view whose
    change holds a lock others queue for (an RSVP holds its event's row): the lock is then
    held for the change alone, not for the page too. Still one commit per request: the
    one after the view finds nothing left to do. The rows loaded stay as they were
    written, not expired, and what was read along stays known unless the change wrote
    what it was read from (webapp.database.prefetch.forget_when_written).
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def register_unit_of_work(app: Flask):
    @app.after_request
    def commit_or_roll_back(response):
        if request.method in SAFE_METHODS:
            # Read outside a transaction (webapp.database.setup.Session): nothing to roll back,
            # and a rollback would only expire every row the page loaded, one by one,
            # just before the session is closed at teardown.
            return response
        if response.status_code < 400 and not g.get("refused"):
            db.session.commit()
        else:
            db.session.rollback()
        return response
