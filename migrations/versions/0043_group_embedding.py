"""groups.embed_anywhere and embed_sites: which websites may show a group's events

Revision ID: 0043_group_embedding
Revises: 0042_feed_versions
Create Date: 2026-11-27 04:00:00

A public group's coming events can be shown inside another website
(webapp/open_web/embeds.py): by any website, or by those its organisers list (one origin
a line), as the page's frame-ancestors.
"""

import sqlalchemy as sa
from alembic import op

revision = "0043_group_embedding"
down_revision = "0042_feed_versions"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table.
    op.add_column(
        "groups",
        sa.Column("embed_anywhere", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column(
        "groups", sa.Column("embed_sites", sa.Text(), server_default="", nullable=False)
    )


def downgrade():
    op.drop_column("groups", "embed_sites")
    op.drop_column("groups", "embed_anywhere")
