"""your data: requests to download one's data; feedback outlives its author

Revision ID: 0018_your_data
Revises: 0017_audit_admin
Create Date: 2026-11-22 23:00:00

data_exports holds each request to download one's data (its state and, once built, the
zip's storage key); a partial unique index keeps one under way per person. Feedback is
kept when its author deletes their account, without their name: its user_id becomes
nullable and is set NULL. The event mail opt-outs take the new kind, data_export.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_your_data"
down_revision = "0017_audit_admin"
branch_labels = None
depends_on = None

# As webapp.events.mail.models.EventMailKind was before and after this ran.
KINDS_BEFORE = (
    "confirmation",
    "promotion",
    "changes",
    "cancellations",
    "reminders",
    "poll_results",
    "task_assigned",
)
KINDS = (*KINDS_BEFORE, "data_export")
UNDER_WAY = sa.text("state IN ('pending', 'building')")


def _kinds(kinds):
    with op.batch_alter_table("event_mail_opt_outs") as batch_op:
        batch_op.drop_constraint(op.f("ck_event_mail_opt_outs_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_event_mail_opt_outs_kind"), f"kind IN {kinds}")


def _feedback_author(nullable, ondelete):
    with op.batch_alter_table("event_feedback") as batch_op:
        batch_op.drop_constraint(op.f("fk_event_feedback_user_id_users"), type_="foreignkey")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_foreign_key(
            op.f("fk_event_feedback_user_id_users"),
            "users",
            ["user_id"],
            ["id"],
            ondelete=ondelete,
        )


def upgrade():
    op.create_table(
        "data_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'building', 'ready', 'failed')",
            name=op.f("ck_data_exports_state"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_data_exports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    op.create_index(op.f("ix_data_exports_user_id"), "data_exports", ["user_id"])
    op.create_index(
        "uq_data_exports_one_under_way",
        "data_exports",
        ["user_id"],
        unique=True,
        postgresql_where=UNDER_WAY,
        sqlite_where=UNDER_WAY,
    )
    _feedback_author(True, "SET NULL")
    _kinds(KINDS)


def downgrade():
    op.execute("DELETE FROM event_mail_opt_outs WHERE kind = 'data_export'")
    _kinds(KINDS_BEFORE)
    op.execute("DELETE FROM event_feedback WHERE user_id IS NULL")
    _feedback_author(False, "CASCADE")
    op.drop_index("uq_data_exports_one_under_way", table_name="data_exports")
    op.drop_index(op.f("ix_data_exports_user_id"), table_name="data_exports")
    op.drop_table("data_exports")
