"""outbox render args: a message whose bodies the delivering worker renders

Revision ID: 0023_outbox_render_args
Revises: 0022_event_week_counts
Create Date: 2026-11-25 00:40:00

An answer's confirmation is written in the answer's transaction, as every message is, but
rendered by the worker that sends it (webapp.outbox.rendering): the row keeps what its
renderer needs, and empty bodies until then. Rows written before keep NULL: rendered.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_outbox_render_args"
down_revision = "0022_event_week_counts"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("outbox_messages", sa.Column("render_args", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("outbox_messages", "render_args")
