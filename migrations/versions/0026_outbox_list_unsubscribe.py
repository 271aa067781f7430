"""outbox list unsubscribe: the one-click address a notification is sent with

Revision ID: 0026_outbox_list_unsubscribe
Revises: 0025_outbox_message_id
Create Date: 2026-11-25 12:00:00

Mail a person can turn off in their settings carries List-Unsubscribe (RFC 2369) and
List-Unsubscribe-Post (RFC 8058) with this address; account mail keeps NULL, and so do
rows written before: they go out without the headers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_outbox_list_unsubscribe"
down_revision = "0025_outbox_message_id"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("outbox_messages", sa.Column("list_unsubscribe", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("outbox_messages", "list_unsubscribe")
