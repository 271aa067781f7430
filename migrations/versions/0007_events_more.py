"""events: an index of each group's drafts

Revision ID: 0007_events_more
Revises: 0006_events
Create Date: 2026-11-23 10:00:00

The group page lists a group's drafts to its organisers, whatever their dates. Drafts are
few among a group's events; without this index, finding them walked every event the
group ever had.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_events_more"
down_revision = "0006_events"
branch_labels = None
depends_on = None

LIVE_DRAFTS = sa.text("status = 'draft' AND deleted_at IS NULL")


def upgrade():
    op.create_index(
        "ix_events_group_drafts",
        "events",
        ["group_id", "starts_at", "id"],
        postgresql_where=LIVE_DRAFTS,
        sqlite_where=LIVE_DRAFTS,
    )


def downgrade():
    op.drop_index("ix_events_group_drafts", table_name="events")
