"""The one error type for "a rule said no", and the one commit point of a request.

Services raise RuleError and flush; they never commit. The request commits once, after
the view returns: an unsafe request (POST, PUT, DELETE...) that answered below 400 and
refused nothing commits; every other request rolls back. So a view cannot forget a
rollback on an error path, and a GET can never write.
"""

import sqlalchemy as sa
from flask import Flask, flash, g, request

from webapp.db_setup import SAFE_METHODS
from webapp.extensions import db


class RuleError(Exception):
    """A rule said no. The message is fit to show; field names the form field it is about."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


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
    first write: what a request read before that may be stale by the time it writes (20
    answers at once booked 20 people into 5 places). So on SQLite a write that changes
    nothing takes the database's write lock here, before anything is read.

    read_again: also read obj's row afresh, as the last holder of the lock left it (on
    PostgreSQL in the same statement that takes the lock).
    """
    model = type(obj)
    if db.session.get_bind().dialect.name == "sqlite":
        # Text, not an ORM update: that would also run the table's onupdate defaults.
        # A table name from our own model; the row id is a bound parameter.
        table = model.__table__.name
        # nosemgrep: sql-from-a-string
        no_change = sa.text(f"UPDATE {table} SET id = id WHERE id = :id")  # noqa: S608  # nosec B608
        db.session.execute(no_change, {"id": obj.id})
        if read_again:
            db.session.refresh(obj)
        return
    if read_again:
        locked = sa.select(model).where(model.id == obj.id).with_for_update()
        # Read to the end: the ORM refreshes obj as the row is fetched, not before.
        db.session.execute(locked.execution_options(populate_existing=True)).scalar_one()
        return
    db.session.execute(sa.select(model.id).where(model.id == obj.id).with_for_update())


def register_unit_of_work(app: Flask):
    @app.after_request
    def commit_or_roll_back(response):
        if request.method in SAFE_METHODS:
            # Read outside a transaction (webapp.db_setup.Session): nothing to roll back,
            # and a rollback would only expire every row the page loaded, one by one,
            # just before the session is closed at teardown.
            return response
        if response.status_code < 400 and not g.get("refused"):
            db.session.commit()
        else:
            db.session.rollback()
        return response
