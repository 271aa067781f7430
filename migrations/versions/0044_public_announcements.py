"""announcements.public: an announcement anyone may read, which the public feeds carry

Revision ID: 0044_public_announcements
Revises: 0043_group_embedding
Create Date: 2026-11-27 06:30:00

A public group's organisers may let anyone read an announcement to the whole group once
it goes: its page is open, and the group's and the site's Atom feeds carry it
(webapp/open_web/feeds/).
"""

import sqlalchemy as sa
from alembic import op

revision = "0044_public_announcements"
down_revision = "0043_group_embedding"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and a check
    # constraint cannot be added without one; on PostgreSQL it is added as the model has it.
    op.add_column(
        "announcements",
        sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(
            "ck_announcements_public_only_to_a_group",
            "announcements",
            "event_id IS NULL OR NOT public",
        )
    op.create_index(
        "ix_announcements_public",
        "announcements",
        ["send_at", "id"],
        postgresql_where=sa.text("public"),
        sqlite_where=sa.text("public"),
    )


def downgrade():
    op.drop_index("ix_announcements_public", table_name="announcements")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(
            "ck_announcements_public_only_to_a_group", "announcements", type_="check"
        )
    op.drop_column("announcements", "public")
