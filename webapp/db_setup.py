"""Database details that differ between the embedded SQLite and PostgreSQL."""

from sqlalchemy import event


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
