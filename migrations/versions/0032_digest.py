"""digest: how often each person wants it, groups left out of it, the periods sent and the
items told

Revision ID: 0032_digest
Revises: 0031_announcements
Create Date: 2026-11-26 03:00:00

A person without a digest_settings row gets it weekly. digest_sends has one row per person
and period, written with its email, so a period's digest goes once; digest_items keeps
what each digest told of, so no later one tells it again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_digest"
down_revision = "0031_announcements"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "digest_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('weekly', 'daily', 'off')", name=op.f("ck_digest_settings_frequency")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "digest_groups_left_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "group_id"),
    )
    op.create_index("ix_digest_groups_left_out_group_id", "digest_groups_left_out", ["group_id"])
    op.create_table(
        "digest_sends",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "period"),
    )
    op.create_index("ix_digest_sends_sent_at", "digest_sends", ["sent_at"])
    op.create_table(
        "digest_items",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "item"),
    )
    op.create_index("ix_digest_items_sent_at", "digest_items", ["sent_at"])


def downgrade():
    op.drop_table("digest_items")
    op.drop_table("digest_sends")
    op.drop_table("digest_groups_left_out")
    op.drop_table("digest_settings")
