"""event_cohosts; events.has_cohosts

Revision ID: 0038_event_cohosts
Revises: 0037_guest_answers
Create Date: 2026-11-27 09:00:00

Members of a group an organiser names co-hosts of one event: they run that event with
its organisers. events.has_cohosts spares every event's pages the question of whether the
viewer co-hosts it until the event has a co-host.
"""

import sqlalchemy as sa
from alembic import op

revision = "0038_event_cohosts"
down_revision = "0037_guest_answers"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_cohosts",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("event_id", "user_id"),
    )
    op.create_index("ix_event_cohosts_user_id", "event_cohosts", ["user_id"])
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and triggers name
    # both tables.
    op.add_column(
        "events",
        sa.Column("has_cohosts", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    op.drop_column("events", "has_cohosts")
    op.drop_table("event_cohosts")
