"""feed_versions: the version of each group's public feeds

Revision ID: 0042_feed_versions
Revises: 0041_question_kinds
Create Date: 2026-11-27 03:20:00

The public calendar and Atom feeds (webapp/open_web/feeds/) are read again only when their
version moved on: the site's (scope 0) or a group's (scope: its id). A poll of an
unchanged feed reads one row of this table and nothing else. Every scope there is starts
with a version, so a site upgraded with events in it keeps its feeds' copies at once.
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0042_feed_versions"
down_revision = "0041_question_kinds"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feed_versions",
        sa.Column("scope", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope"),
    )
    op.execute(
        sa.text(
            "INSERT INTO feed_versions (scope, version)"
            " SELECT 0, :now UNION ALL SELECT id, :now FROM groups"
        ).bindparams(now=time.time_ns() // 1000)
    )


def downgrade():
    op.drop_table("feed_versions")
