"""event search: one lower-cased column of an event's title and description

Revision ID: 0019_event_search
Revises: 0018_your_data
Create Date: 2026-11-23 07:30:00

A search of /events matched lower(title) OR lower(description): PostgreSQL lower-cased
every description it walked (about 6 µs each), and its planner, unable to combine the two
trigram indexes under the list's LIMIT, walked the table instead. The pager's count for
"picnic" then took 9 of the page's 11 ms of SQL at scale 1. events.search_text holds
the lower-cased text, kept by the database as a generated column whatever writes the
row, with one trigram index on PostgreSQL that the count and the page's keys can use:
the same count takes 1-2 ms. The search still finds any part of a word, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_event_search"
down_revision = "0018_your_data"
branch_labels = None
depends_on = None

# As webapp.events.models.SEARCH_TEXT was when this ran.
SEARCH_TEXT = "lower(title || ' ' || description)"
OLD_TRIGRAM_INDEXES = {
    "ix_events_title_trgm": "lower(title)",
    "ix_events_description_trgm": "lower(description)",
}


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE events ADD COLUMN search_text text"
            f" GENERATED ALWAYS AS ({SEARCH_TEXT}) STORED"
        )
        for name in OLD_TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX {name}")
        op.execute("CREATE INDEX ix_events_search_trgm ON events USING gin (search_text gin_trgm_ops)")
    else:
        # SQLite adds only a virtual generated column to a table that exists; it has no
        # trigram index to feed, and computes the text as it walks, as it did before.
        op.execute(
            f"ALTER TABLE events ADD COLUMN search_text text GENERATED ALWAYS AS ({SEARCH_TEXT}) VIRTUAL"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_events_search_trgm")
        for name, expression in OLD_TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON events USING gin (({expression}) gin_trgm_ops)")
    # Not a batch operation: SQLite would copy the table, and the listing triggers of
    # 0012_event_listing name it. SQLite drops a generated column in place.
    op.execute("ALTER TABLE events DROP COLUMN search_text")
