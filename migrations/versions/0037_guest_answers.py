"""Answers without an account: users.is_guest, groups.allows_guests, email_tokens.details

Revision ID: 0037_guest_answers
Revises: 0036_event_questions
Create Date: 2026-11-26 09:40:00

A guest is a person row with no password that cannot log in; signing up with its address
makes it a member's own. A link token may carry what its click will do (an answer waiting
for its confirmation, a sign-up waiting for its address to be proven).
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_guest_answers"
down_revision = "0036_event_questions"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and triggers name
    # groups and users.
    op.add_column(
        "users", sa.Column("is_guest", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "groups",
        sa.Column("allows_guests", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("email_tokens", sa.Column("details", sa.JSON(), nullable=True))
    # The sweep that forgets guests who hold nothing looks for them alone.
    op.create_index(
        "ix_users_guests",
        "users",
        ["created_at"],
        postgresql_where=sa.text("is_guest"),
        sqlite_where=sa.text("is_guest"),
    )


def downgrade():
    op.drop_index("ix_users_guests", table_name="users")
    op.drop_column("email_tokens", "details")
    op.drop_column("groups", "allows_guests")
    op.drop_column("users", "is_guest")
