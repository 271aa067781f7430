"""groups.door_used: whether one of the group's events has checked people in at its door

Revision ID: 0035_groups_door_used
Revises: 0034_walk_ins
Create Date: 2026-11-26 06:30:00

Until a group has, its pages ask nothing about how often its members came. Set for the
groups whose events have check-ins already.
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_groups_door_used"
down_revision = "0034_walk_ins"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and the triggers
    # on memberships and events name groups.
    op.add_column(
        "groups",
        sa.Column("door_used", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        "UPDATE groups SET door_used = true WHERE id IN "
        "(SELECT events.group_id FROM events JOIN check_ins ON check_ins.event_id = events.id)"
    )


def downgrade():
    op.drop_column("groups", "door_used")
