"""users.language: the language a person reads Hearth and its email in

Revision ID: 0028_users_language
Revises: 0027_outbox_calendar
Create Date: 2026-11-25 12:30:00

Empty for everyone at first: pages follow the browser, email the site's default
(DEFAULT_LANGUAGE), until the person chooses in Settings.
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_users_language"
down_revision = "0027_outbox_calendar"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("language", sa.String(16), nullable=True))


def downgrade():
    op.drop_column("users", "language")
