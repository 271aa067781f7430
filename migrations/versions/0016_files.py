"""files: what members upload to an event (the bytes are in the storage, by key)

Revision ID: 0016_files
Revises: 0015_tasks_feedback
Create Date: 2026-11-22 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_files"
down_revision = "0015_tasks_feedback"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("thumbnail_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('image', 'document', 'text')", name=op.f("ck_stored_files_kind")
        ),
        sa.CheckConstraint("size >= 0", name=op.f("ck_stored_files_size")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_stored_files_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploader_id"],
            ["users.id"],
            name=op.f("fk_stored_files_uploader_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_stored_files_storage_key")),
    )
    op.create_index(
        "ix_stored_files_event_created", "stored_files", ["event_id", "created_at"], unique=False
    )
    op.create_index(
        op.f("ix_stored_files_uploader_id"), "stored_files", ["uploader_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_stored_files_uploader_id"), table_name="stored_files")
    op.drop_index("ix_stored_files_event_created", table_name="stored_files")
    op.drop_table("stored_files")
