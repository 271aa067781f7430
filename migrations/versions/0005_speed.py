"""speed: stored description HTML, indexes for the list, counts, members and search

Revision ID: 0005_speed
Revises: 0004_canonical_emails
Create Date: 2026-11-22 12:40:00

A group's description is rendered once when written (groups.description_html); rows
saved before 0005 are rendered here. groups.member_count is kept by triggers on
memberships (every writer, cascades and bulk loads included): counting 30,000 members
on each view of a big group grew with the group. The list walks ix_groups_live_by_name; member counts
and a group's members a page at a time walk ix_memberships_group_status. On PostgreSQL,
searches use pg_trgm GIN indexes on exactly the expressions webapp.groups.queries uses.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_speed"
down_revision = "0004_canonical_emails"
branch_labels = None
depends_on = None

BATCH = 500

# Each index's expression is the one the query writes, character for character:
# webapp/groups/queries.py (group_matches, member_matches).
TRIGRAM_INDEXES = {
    "ix_groups_name_trgm": ("groups", "lower(name)"),
    "ix_groups_description_trgm": ("groups", "lower(description)"),
    "ix_users_full_name_trgm": ("users", "lower(first_name || ' ' || last_name)"),
    "ix_users_email_trgm": ("users", "email_normalized"),
}


def _render_existing_descriptions():
    # The app's own renderer: what the service stores on every later write.
    from webapp.web.markdown import render_markdown

    groups = sa.table("groups", sa.column("id"), sa.column("description"))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(groups.c.id, groups.c.description)
            .where(groups.c.id > last_id)
            .order_by(groups.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            sa.text("UPDATE groups SET description_html = :html WHERE id = :id"),
            [{"id": row.id, "html": str(render_markdown(row.description))} for row in rows],
        )
        last_id = rows[-1].id


# Statement-level on PostgreSQL (transition tables): a bulk insert of 30,000 members
# updates the group's row once, not 30,000 times.
POSTGRES_COUNTING = """
CREATE FUNCTION memberships_count_active() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER memberships_count_inserted AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_active();
CREATE TRIGGER memberships_count_updated AFTER UPDATE ON memberships
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_active();
CREATE TRIGGER memberships_count_deleted AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION memberships_count_active();
"""

SQLITE_COUNTING = [
    """CREATE TRIGGER memberships_count_inserted AFTER INSERT ON memberships
    WHEN NEW.status = 'active' BEGIN
        UPDATE groups SET member_count = member_count + 1 WHERE id = NEW.group_id;
    END""",
    """CREATE TRIGGER memberships_count_deleted AFTER DELETE ON memberships
    WHEN OLD.status = 'active' BEGIN
        UPDATE groups SET member_count = member_count - 1 WHERE id = OLD.group_id;
    END""",
    """CREATE TRIGGER memberships_count_updated AFTER UPDATE OF status, group_id ON memberships
    BEGIN
        UPDATE groups SET member_count = member_count - 1
        WHERE id = OLD.group_id AND OLD.status = 'active';
        UPDATE groups SET member_count = member_count + 1
        WHERE id = NEW.group_id AND NEW.status = 'active';
    END""",
]


def _count_members():
    op.execute(
        "UPDATE groups SET member_count = (SELECT count(*) FROM memberships"
        " WHERE memberships.group_id = groups.id AND memberships.status = 'active')"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_COUNTING)
    else:
        for statement in SQLITE_COUNTING:
            op.execute(statement)


def upgrade():
    with op.batch_alter_table("groups") as batch:
        batch.add_column(
            sa.Column("description_html", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("member_count", sa.Integer(), nullable=False, server_default="0")
        )
    _render_existing_descriptions()
    _count_members()
    op.create_index(
        "ix_groups_live_by_name",
        "groups",
        ["name", "id", "visibility"],
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index("ix_memberships_group_status", "memberships", ["group_id", "status", "id"])
    op.create_index("ix_memberships_group_role", "memberships", ["group_id", "role"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def downgrade():
    for trigger in ("inserted", "updated", "deleted"):
        on = " ON memberships" if op.get_bind().dialect.name == "postgresql" else ""
        op.execute(f"DROP TRIGGER IF EXISTS memberships_count_{trigger}{on}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS memberships_count_active()")
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_memberships_group_role", table_name="memberships")
    op.drop_index("ix_memberships_group_status", table_name="memberships")
    op.drop_index("ix_groups_live_by_name", table_name="groups")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("member_count")
        batch.drop_column("description_html")
