"""events under way: an index of listed events' spans, to count those going on at a moment

Revision ID: 0024_events_under_way
Revises: 0023_outbox_render_args
Create Date: 2026-11-25 06:05:00

A page of /events typed far in starts at the week its first event is in (0022), once it
knows how many events of the list come before next week: those under way now and those
starting before then. Counted by walking the listing index from a month ago (the longest
an event lasts), that count passed every event of the month already over (800 at 10x)
to find the few still going on. A GiST index of the events' spans finds those at once.

Its condition is the listing index's (0012_event_listing), so the list's statement, which
spells it out, may use it; the columns a viewer's filter reads ride along. PostgreSQL
only: on SQLite every page walks.
"""

from alembic import op

revision = "0024_events_under_way"
down_revision = "0023_outbox_render_args"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # As webapp.events.queries._under_way writes the span: the index serves only the
    # same expression.
    op.execute(
        "CREATE INDEX ix_events_under_way ON events USING gist (tstzrange(starts_at, ends_at))"
        " INCLUDE (group_id, listing)"
        " WHERE deleted_at IS NULL AND status IN ('published', 'cancelled')"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_events_under_way")
