"""check_ins: who came to an event, checked in at its door

Revision ID: 0033_check_ins
Revises: 0032_digest
Create Date: 2026-11-26 03:20:00

One row per event and person: two organisers checking one person in at once write one.
"""

import sqlalchemy as sa
from alembic import op

revision = "0033_check_ins"
down_revision = "0032_digest"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "check_ins",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("checked_in_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["checked_in_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("event_id", "user_id"),
    )
    op.create_index("ix_check_ins_user_id", "check_ins", ["user_id"])


def downgrade():
    op.drop_table("check_ins")
