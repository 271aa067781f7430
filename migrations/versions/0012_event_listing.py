"""event listing: who may find an event in lists, kept on the event from its group

Revision ID: 0012_event_listing
Revises: 0011_group_pending_count
Create Date: 2026-11-22 17:00:00

/events asked of every event it walked whether its group was public (or the viewer's)
and alive, through a join to groups: the planner nested a loop over every group, and a
later page re-did that for each event before it. events.listing holds the answer
('public', 'members', or 'hidden' once the group is deleted), kept by triggers here when
an event is written or its group's visibility or life changes. The lists then walk one
index that holds everything they filter on, without reading an event row.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_event_listing"
down_revision = "0011_group_pending_count"
branch_labels = None
depends_on = None

LISTING_OF_GROUP = (
    "CASE WHEN {group}.deleted_at IS NOT NULL THEN 'hidden'"
    " WHEN {group}.visibility = 'public' THEN 'public' ELSE 'members' END"
)
LISTED_LIVE = sa.text("deleted_at IS NULL AND status IN ('published', 'cancelled')")
LIVE = sa.text("deleted_at IS NULL")

POSTGRES_TRIGGERS = f"""
CREATE FUNCTION events_take_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {LISTING_OF_GROUP.format(group="groups")} INTO NEW.listing
    FROM groups WHERE groups.id = NEW.group_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER events_listing_written BEFORE INSERT OR UPDATE OF group_id ON events
    FOR EACH ROW EXECUTE FUNCTION events_take_listing();

CREATE FUNCTION groups_pass_on_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events SET listing = {LISTING_OF_GROUP.format(group="NEW")}
    WHERE group_id = NEW.id AND listing <> {LISTING_OF_GROUP.format(group="NEW")};
    RETURN NULL;
END
$$;
CREATE TRIGGER groups_listing_changed AFTER UPDATE OF visibility, deleted_at ON groups
    FOR EACH ROW
    WHEN (OLD.visibility IS DISTINCT FROM NEW.visibility
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION groups_pass_on_listing();
"""

SQLITE_TRIGGERS = [
    # SQLite cannot change NEW before the write: the row is corrected just after.
    "CREATE TRIGGER events_listing_inserted AFTER INSERT ON events BEGIN"
    f" UPDATE events SET listing = (SELECT {LISTING_OF_GROUP.format(group='groups')}"
    " FROM groups WHERE groups.id = NEW.group_id) WHERE id = NEW.id; END",
    "CREATE TRIGGER groups_listing_changed AFTER UPDATE OF visibility, deleted_at ON groups"
    " BEGIN"
    f" UPDATE events SET listing = {LISTING_OF_GROUP.format(group='NEW')}"
    f" WHERE group_id = NEW.id AND listing <> {LISTING_OF_GROUP.format(group='NEW')}; END",
]


def upgrade():
    # One statement for both databases: SQLite takes a check constraint only with a new
    # column (a batch rebuild of events would cascade-delete its answers).
    op.execute(
        "ALTER TABLE events ADD COLUMN listing VARCHAR(10) NOT NULL DEFAULT 'hidden'"
        " CONSTRAINT ck_events_listing CHECK (listing IN ('public', 'members', 'hidden'))"
    )
    op.execute(
        f"UPDATE events SET listing = (SELECT {LISTING_OF_GROUP.format(group='groups')}"
        " FROM groups WHERE groups.id = events.group_id)"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_TRIGGERS)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    op.drop_index("ix_events_live_by_start", table_name="events")
    op.create_index(
        "ix_events_listed_by_start",
        "events",
        ["starts_at", "id"],
        # On PostgreSQL the lists filter inside the index, reading no event row.
        postgresql_include=["ends_at", "group_id", "listing"],
        postgresql_where=LISTED_LIVE,
        sqlite_where=LISTED_LIVE,
    )


def downgrade():
    op.drop_index("ix_events_listed_by_start", table_name="events")
    op.create_index(
        "ix_events_live_by_start",
        "events",
        ["starts_at", "id"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER groups_listing_changed ON groups")
        op.execute("DROP FUNCTION groups_pass_on_listing()")
        op.execute("DROP TRIGGER events_listing_written ON events")
        op.execute("DROP FUNCTION events_take_listing()")
    else:
        op.execute("DROP TRIGGER groups_listing_changed")
        op.execute("DROP TRIGGER events_listing_inserted")
    # Its check constraint goes with it (SQLite 3.35+ drops such a column in place).
    op.drop_column("events", "listing")
