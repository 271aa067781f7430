"""The schema the migrations build is the one the models describe.

Every test database is built by running the migrations; this checks that what they
built matches the models, so a column or index added to one and not the other fails
here, not in production.
"""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from webapp.extensions import db

# Indexes only migrations create: expression indexes (pg_trgm, GiST) the models cannot express.
MIGRATION_ONLY_INDEXES = {
    "ix_groups_name_trgm",
    "ix_groups_description_trgm",
    "ix_users_full_name_trgm",
    "ix_users_email_trgm",
    "ix_events_search_trgm",
    # A GiST index of events' spans, an expression on PostgreSQL alone.
    "ix_events_under_way",
}
# Tables only migrations create, on PostgreSQL, kept by its triggers alone and read as
# sa.table() where they are read: the counts of listed events by week.
MIGRATION_ONLY_TABLES = {"event_week_counts"}


def _is_expected(difference):
    kind, *rest = difference if isinstance(difference, tuple) else (None,)
    if kind == "remove_table":
        return rest[0].name in MIGRATION_ONLY_TABLES
    return kind == "remove_index" and rest[0].name in MIGRATION_ONLY_INDEXES


def _column_level_foreign_keys(differences, connection):
    """On SQLite, the foreign keys a migration added with its column (ALTER TABLE ... ADD
    COLUMN ... REFERENCES, the one way SQLite adds them without building the table again):
    SQLAlchemy reflects such a key without its name or ON DELETE, so each shows as one
    removed and one added. Checked here in the table's own SQL instead; returns the pairs
    found there, to be left out."""
    if connection.dialect.name != "sqlite":
        return []
    found = []
    added = [d for d in differences if isinstance(d, tuple) and d[0] == "add_fk"]
    for _, key in added:
        (element,) = key.elements
        table_sql = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = ?", (key.table.name,)
        ).scalar()
        target = element.column
        written = (
            f"{element.parent.name} INTEGER REFERENCES {target.table.name} ({target.name})"
            f" ON DELETE {key.ondelete}"
        )
        removed = [
            d
            for d in differences
            if isinstance(d, tuple)
            and d[0] == "remove_fk"
            and d[1].table.name == key.table.name
            and [c.name for c in d[1].columns] == [element.parent.name]
        ]
        if written in table_sql and len(removed) == 1:
            found += [("add_fk", key), removed[0]]
    return found


def test_migrated_schema_matches_the_models(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, db.metadata)
        column_level = _column_level_foreign_keys(differences, connection)
    unexpected = [d for d in differences if not _is_expected(d) and d not in column_level]
    assert unexpected == []
