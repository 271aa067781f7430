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


def test_migrated_schema_matches_the_models(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, db.metadata)
    unexpected = [d for d in differences if not _is_expected(d)]
    assert unexpected == []
