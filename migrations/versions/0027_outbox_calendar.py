"""outbox calendar: attachments (a calendar update), and notices that coalesce

Revision ID: 0027_outbox_calendar
Revises: 0026_outbox_list_unsubscribe
Create Date: 2026-11-25 12:00:00

A message may carry text attachments: a cancelled or moved event's email carries the
event's calendar entry (METHOD:CANCEL, or the updated event), so a calendar that imported
it follows. Messages of one coalesce key stand for one another (one person's notices of
one event's changes): at most one waits at a time, and a new change updates it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_outbox_calendar"
down_revision = "0026_outbox_list_unsubscribe"
branch_labels = None
depends_on = None

WITH_KEY = sa.text("coalesce_key IS NOT NULL")
WAITING_WITH_KEY = sa.text("coalesce_key IS NOT NULL AND state = 'pending'")


def upgrade():
    op.add_column("outbox_messages", sa.Column("attachments", sa.JSON(), nullable=True))
    op.add_column("outbox_messages", sa.Column("coalesce_key", sa.String(120), nullable=True))
    op.create_index(
        "uq_outbox_messages_waiting_key",
        "outbox_messages",
        ["coalesce_key"],
        unique=True,
        postgresql_where=WAITING_WITH_KEY,
        sqlite_where=WAITING_WITH_KEY,
    )
    op.create_index(
        "ix_outbox_messages_key_sent",
        "outbox_messages",
        ["coalesce_key", "sent_at"],
        postgresql_where=WITH_KEY,
        sqlite_where=WITH_KEY,
    )


def downgrade():
    op.drop_index("ix_outbox_messages_key_sent", table_name="outbox_messages")
    op.drop_index("uq_outbox_messages_waiting_key", table_name="outbox_messages")
    op.drop_column("outbox_messages", "coalesce_key")
    op.drop_column("outbox_messages", "attachments")
