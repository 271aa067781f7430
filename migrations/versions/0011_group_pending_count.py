"""group pending count: requests to join kept as a number on the group, as members are

Revision ID: 0011_group_pending_count
Revises: 0010_group_managers
Create Date: 2026-11-22 16:00:00

The members page asked the database for the oldest requests to join on every view; most
groups, most of the time, have none. groups.pending_count is kept by the same triggers
that keep member_count (0005_speed), so the page asks only when there are some.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_group_pending_count"
down_revision = "0010_group_managers"
branch_labels = None
depends_on = None

POSTGRES_COUNTING = """
CREATE OR REPLACE FUNCTION memberships_count_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE groups SET member_count = member_count - gone.active,
                          pending_count = pending_count - gone.pending
        FROM (SELECT group_id, count(*) FILTER (WHERE status = 'active') AS active,
                     count(*) FILTER (WHERE status = 'pending') AS pending
              FROM old_rows GROUP BY group_id) AS gone
        WHERE groups.id = gone.group_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE groups SET member_count = member_count + came.active,
                          pending_count = pending_count + came.pending
        FROM (SELECT group_id, count(*) FILTER (WHERE status = 'active') AS active,
                     count(*) FILTER (WHERE status = 'pending') AS pending
              FROM new_rows GROUP BY group_id) AS came
        WHERE groups.id = came.group_id;
    END IF;
    RETURN NULL;
END
$$;
"""

# As 0005_speed left it.
POSTGRES_ACTIVE_ONLY = """
CREATE OR REPLACE FUNCTION memberships_count_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE groups SET member_count = member_count - gone.n
        FROM (SELECT group_id, count(*) AS n FROM old_rows WHERE status = 'active'
              GROUP BY group_id) AS gone
        WHERE groups.id = gone.group_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE groups SET member_count = member_count + came.n
        FROM (SELECT group_id, count(*) AS n FROM new_rows WHERE status = 'active'
              GROUP BY group_id) AS came
        WHERE groups.id = came.group_id;
    END IF;
    RETURN NULL;
END
$$;
"""


def _sqlite_triggers(counted):
    """The three SQLite triggers of 0005_speed, keeping each column of counted: status."""
    inserted, deleted, updated = [], [], []
    for column, status in counted.items():
        inserted.append(
            f"UPDATE groups SET {column} = {column} + (NEW.status = '{status}')"
            " WHERE id = NEW.group_id;"
        )
        deleted.append(
            f"UPDATE groups SET {column} = {column} - (OLD.status = '{status}')"
            " WHERE id = OLD.group_id;"
        )
        updated.append(
            f"UPDATE groups SET {column} = {column} - 1"
            f" WHERE id = OLD.group_id AND OLD.status = '{status}';"
            f" UPDATE groups SET {column} = {column} + 1"
            f" WHERE id = NEW.group_id AND NEW.status = '{status}';"
        )
    return [
        "CREATE TRIGGER memberships_count_inserted AFTER INSERT ON memberships"
        f" BEGIN {' '.join(inserted)} END",
        "CREATE TRIGGER memberships_count_deleted AFTER DELETE ON memberships"
        f" BEGIN {' '.join(deleted)} END",
        "CREATE TRIGGER memberships_count_updated AFTER UPDATE OF status, group_id"
        f" ON memberships BEGIN {' '.join(updated)} END",
    ]


def _replace_sqlite_triggers(counted):
    for trigger in ("inserted", "updated", "deleted"):
        op.execute(f"DROP TRIGGER IF EXISTS memberships_count_{trigger}")
    for statement in _sqlite_triggers(counted):
        op.execute(statement)


def upgrade():
    op.add_column(
        "groups", sa.Column("pending_count", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE groups SET pending_count = (SELECT count(*) FROM memberships"
        " WHERE memberships.group_id = groups.id AND memberships.status = 'pending')"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_COUNTING)
    else:
        _replace_sqlite_triggers({"member_count": "active", "pending_count": "pending"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_ACTIVE_ONLY)
    else:
        _replace_sqlite_triggers({"member_count": "active"})
    op.drop_column("groups", "pending_count")
