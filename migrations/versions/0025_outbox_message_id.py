"""outbox message id: one Message-ID per message, made once and kept for every attempt

Revision ID: 0025_outbox_message_id
Revises: 0024_events_under_way
Create Date: 2026-11-25 11:30:00

A message sent again (its worker died after the server took it) carries the same
Message-ID, so a receiving system can recognise the repeat. Rows written before keep NULL
and get theirs when they are first sent.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_outbox_message_id"
down_revision = "0024_events_under_way"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("outbox_messages", sa.Column("message_id", sa.String(255), nullable=True))


def downgrade():
    op.drop_column("outbox_messages", "message_id")
