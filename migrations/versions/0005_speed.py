"""speed: stored description HTML, indexes for the list, counts, members and search

Revision ID: 0005_speed
Revises: 0004_canonical_emails
Create Date: 2026-11-22 12:40:00

A group's description is rendered once when written (groups.description_html); rows
saved before 0005 are rendered here. The list walks ix_groups_live_by_name; member counts
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
    from webapp.markdown import render_markdown

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


def upgrade():
    with op.batch_alter_table("groups") as batch:
        batch.add_column(
            sa.Column("description_html", sa.Text(), nullable=False, server_default="")
        )
    _render_existing_descriptions()
    op.create_index(
        "ix_groups_live_by_name",
        "groups",
        ["name", "id", "visibility"],
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index("ix_memberships_group_status", "memberships", ["group_id", "status", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, expression) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_memberships_group_status", table_name="memberships")
    op.drop_index("ix_groups_live_by_name", table_name="groups")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("description_html")
