"""event search by trigger: events.search_text written when the title or description is

Revision ID: 0021_event_search_by_trigger
Revises: 0020_live_versions
Create Date: 2026-11-24 11:00:00

PostgreSQL computes a stored generated column again on every UPDATE of its row, whatever
the UPDATE sets, and the text it computes is not yet compressed: to the check that decides
whether an update may stay on the row's page without touching its indexes (a HOT update),
a description long enough to be stored compressed looked changed. So every RSVP, which
moves the event's counters and nothing else, wrote a new entry into each of the event's
five indexes, the trigram index of its text among them, while it held the event's lock:
none of 2,101 updates of events at 10x was HOT.

The column is now plain on PostgreSQL, kept by a trigger that runs when the title or the
description is written (or the column itself: a direct write cannot set it wrong). An
update of anything else leaves it as it was, compressed or not. SQLite keeps its virtual
generated column, which stores nothing.
"""

from alembic import op

revision = "0021_event_search_by_trigger"
down_revision = "0020_live_versions"
branch_labels = None
depends_on = None

# As webapp.events.models.SEARCH_TEXT is.
SEARCH_TEXT = "lower(title || ' ' || description)"

POSTGRES_TRIGGER = f"""
CREATE FUNCTION events_take_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := lower(NEW.title || ' ' || NEW.description);
    RETURN NEW;
END
$$;
CREATE TRIGGER events_search_text_written
    BEFORE INSERT OR UPDATE OF title, description, search_text ON events
    FOR EACH ROW EXECUTE FUNCTION events_take_search_text();
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # The values stay as they are, and so does the trigram index over them.
    op.execute("ALTER TABLE events ALTER COLUMN search_text DROP EXPRESSION")
    op.execute(POSTGRES_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_search_text_written ON events")
    op.execute("DROP FUNCTION events_take_search_text()")
    # PostgreSQL turns a column into a generated one only when adding it.
    op.execute("DROP INDEX ix_events_search_trgm")
    op.execute("ALTER TABLE events DROP COLUMN search_text")
    op.execute(
        "ALTER TABLE events ADD COLUMN search_text text"
        f" GENERATED ALWAYS AS ({SEARCH_TEXT}) STORED"
    )
    op.execute("CREATE INDEX ix_events_search_trgm ON events USING gin (search_text gin_trgm_ops)")
