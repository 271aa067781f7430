"""walk_ins: people with no answer who came to an event, added at its door

Revision ID: 0034_walk_ins
Revises: 0033_check_ins
Create Date: 2026-11-26 06:10:00

A walk-in may take one of the event's places (the organiser says so): it is then counted
in events.places_taken, under the event's lock, as an answer's places are.
"""

import sqlalchemy as sa
from alembic import op

revision = "0034_walk_ins"
down_revision = "0033_check_ins"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "walk_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("takes_place", sa.Boolean(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_walk_ins_event_id", "walk_ins", ["event_id"])


def downgrade():
    op.drop_table("walk_ins")
