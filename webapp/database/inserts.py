"""Inserts that a concurrent request may beat to the same key: ON CONFLICT DO NOTHING on
PostgreSQL and SQLite alike, so a race is not a 500."""

from webapp.extensions import db


def dialect_insert(model):
    """INSERT for model in the session's dialect, which can say ON CONFLICT."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def insert_or_ignore(model, **values):
    """INSERT a row unless one with the same key exists (a concurrent request's, say).
    True when this call wrote it."""
    # RETURNING says whether a row was written: the driver's rowcount does not here.
    primary_key = model.__table__.primary_key.columns
    statement = (
        dialect_insert(model).values(**values).on_conflict_do_nothing().returning(*primary_key)
    )
    return db.session.execute(statement).first() is not None


def insert_many_or_ignore(model, rows):
    """insert_or_ignore of every row (dicts of values), in one statement."""
    if rows:
        db.session.execute(dialect_insert(model).values(rows).on_conflict_do_nothing())
