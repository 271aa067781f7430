"""series folded: a series shows in lists by its next date alone

Revision ID: 0030_series_folded
Revises: 0029_event_series
Create Date: 2026-11-25 19:30:00

Lists (/events, the home page, a group's page) showed every coming date of a series: a
weekly one filled them with copies. events.series_folded marks the dates after a series'
next one (webapp/events/series/folding.py keeps it, and event_series.refold_at says when
the next date ends and another takes its place). The listing triggers (0012_event_listing,
0017_audit_admin) give a folded date the listing 'hidden', as they give a suspended
group's events, so every list, its indexes and the week counts (0022_event_week_counts)
leave it out with no change of their own.

The week counts' update trigger now runs when series_folded is written too: PostgreSQL
runs a trigger "UPDATE OF listing" only when the statement names listing, not when a
BEFORE trigger changes it.

The listing index (0012_event_listing) and the index of spans under way
(0024_events_under_way) now hold listed events alone, leaving hidden ones out: a list
walked past every folded date of every series before, and the lists' statements already
say `listing <> 'hidden'`, so PostgreSQL still walks these indexes for them.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0030_series_folded"
down_revision = "0029_event_series"
branch_labels = None
depends_on = None

GROUP_LISTING = (
    "CASE WHEN {group}.deleted_at IS NOT NULL OR {group}.suspended_at IS NOT NULL"
    " THEN 'hidden' WHEN {group}.visibility = 'public' THEN 'public' ELSE 'members' END"
)
# An event's listing: hidden while folded under its series' next date, else its group's.
EVENT_LISTING = "CASE WHEN {folded} THEN 'hidden' ELSE " + GROUP_LISTING + " END"
GROUP_COLUMNS = "visibility, deleted_at, suspended_at"
GROUP_CHANGED = (
    "OLD.visibility IS DISTINCT FROM NEW.visibility"
    " OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)"
    " OR (OLD.suspended_at IS NULL) <> (NEW.suspended_at IS NULL)"
)
WEEK_COUNTED_CHANGES = """
    FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at
          OR OLD.status IS DISTINCT FROM NEW.status
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
          OR OLD.listing IS DISTINCT FROM NEW.listing
          OR OLD.group_id IS DISTINCT FROM NEW.group_id)
    EXECUTE FUNCTION events_count_weeks_of_update();
"""
TO_REFOLD = sa.text("refold_at IS NOT NULL")
LIVE_AND_LISTED = "deleted_at IS NULL AND status IN ('published', 'cancelled')"
LISTED_NOW = LIVE_AND_LISTED + " AND listing <> 'hidden'"


def _postgres(folded, event_columns, week_columns):
    """The listing triggers reading folded (SQL of the event row NEW, or of events), run
    on writes of event_columns; the week counts' update trigger on week_columns."""
    return f"""
CREATE OR REPLACE FUNCTION events_take_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {EVENT_LISTING.format(folded=folded.format(row="NEW"), group="groups")}
    INTO NEW.listing FROM groups WHERE groups.id = NEW.group_id;
    RETURN NEW;
END
$$;
DROP TRIGGER events_listing_written ON events;
CREATE TRIGGER events_listing_written BEFORE INSERT OR UPDATE OF {event_columns} ON events
    FOR EACH ROW EXECUTE FUNCTION events_take_listing();
CREATE OR REPLACE FUNCTION groups_pass_on_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events
    SET listing = {EVENT_LISTING.format(folded=folded.format(row="events"), group="NEW")}
    WHERE group_id = NEW.id
      AND listing <> {EVENT_LISTING.format(folded=folded.format(row="events"), group="NEW")};
    RETURN NULL;
END
$$;
DROP TRIGGER events_weeks_counted_on_update ON events;
CREATE TRIGGER events_weeks_counted_on_update AFTER UPDATE OF {week_columns} ON events
{WEEK_COUNTED_CHANGES}
"""


def _sqlite(folded, with_fold_trigger):
    statements = [
        "DROP TRIGGER events_listing_inserted",
        "DROP TRIGGER groups_listing_changed",
        "CREATE TRIGGER events_listing_inserted AFTER INSERT ON events BEGIN"
        " UPDATE events SET listing = (SELECT"
        f" {EVENT_LISTING.format(folded=folded.format(row='NEW'), group='groups')}"
        " FROM groups WHERE groups.id = NEW.group_id) WHERE id = NEW.id; END",
        f"CREATE TRIGGER groups_listing_changed AFTER UPDATE OF {GROUP_COLUMNS} ON groups"
        " BEGIN UPDATE events SET listing ="
        f" {EVENT_LISTING.format(folded=folded.format(row='events'), group='NEW')}"
        " WHERE group_id = NEW.id AND listing <>"
        f" {EVENT_LISTING.format(folded=folded.format(row='events'), group='NEW')}; END",
    ]
    if with_fold_trigger:
        # SQLite cannot change NEW before the write: the row is corrected just after.
        statements.append(
            "CREATE TRIGGER events_listing_folded AFTER UPDATE OF series_folded ON events"
            " BEGIN UPDATE events SET listing = (SELECT"
            f" {EVENT_LISTING.format(folded=folded.format(row='NEW'), group='groups')}"
            " FROM groups WHERE groups.id = NEW.group_id) WHERE id = NEW.id; END"
        )
    else:
        statements.insert(0, "DROP TRIGGER events_listing_folded")
    return statements


def _set_triggers(folded, with_fold):
    if op.get_bind().dialect.name == "postgresql":
        event_columns = "group_id, series_folded" if with_fold else "group_id"
        week_columns = "starts_at, status, deleted_at, listing, group_id"
        if with_fold:
            week_columns += ", series_folded"
        op.execute(_postgres(folded, event_columns, week_columns))
    else:
        for statement in _sqlite(folded, with_fold):
            op.execute(statement)


def _set_listed_indexes(where):
    op.drop_index("ix_events_listed_by_start", table_name="events")
    op.create_index(
        "ix_events_listed_by_start",
        "events",
        ["starts_at", "id"],
        postgresql_include=["ends_at", "group_id", "listing"],
        postgresql_where=sa.text(where),
        sqlite_where=sa.text(where),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_events_under_way")
        op.execute(
            "CREATE INDEX ix_events_under_way ON events"
            " USING gist (tstzrange(starts_at, ends_at)) INCLUDE (group_id, listing)"
            f" WHERE {where}"
        )


def upgrade():
    op.add_column(
        "events",
        sa.Column("series_folded", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("event_series", sa.Column("refold_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_event_series_refold_at",
        "event_series",
        ["refold_at"],
        postgresql_where=TO_REFOLD,
        sqlite_where=TO_REFOLD,
    )
    _set_triggers("{row}.series_folded", with_fold=True)
    _set_listed_indexes(LISTED_NOW)
    # Series made before: due at once, so the first sweep folds their dates.
    series = sa.table("event_series", sa.column("refold_at", sa.DateTime(timezone=True)))
    op.execute(sa.update(series).values(refold_at=datetime.now(UTC)))


def downgrade():
    # Every date listed again: the triggers' old form knows nothing of folding.
    op.execute("UPDATE events SET series_folded = false WHERE series_folded")
    _set_triggers("false", with_fold=False)
    _set_listed_indexes(LIVE_AND_LISTED)
    op.drop_index("ix_event_series_refold_at", table_name="event_series")
    op.drop_column("event_series", "refold_at")
    op.drop_column("events", "series_folded")
