"""tasks and feedback: who brings what to an event, and how it went

Revision ID: 0015_tasks_feedback
Revises: 0014_poll_mail
Create Date: 2026-11-22 22:00:00

A task is open (no assignee), taken, or done (done_at, only with an assignee); taking
one is a conditional UPDATE, so no lock table is needed. event_task_settings holds an
event's choice to let members add tasks (no row: organisers alone). event_feedback holds
one row per person and event (a unique constraint) with a rating from 1 to 5. The event
mail opt-outs take the new kind, task_assigned.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_tasks_feedback"
down_revision = "0014_poll_mail"
branch_labels = None
depends_on = None

# As webapp.events.mail.models.EventMailKind was before and after this ran.
KINDS_BEFORE = ("confirmation", "promotion", "changes", "cancellations", "reminders", "poll_results")
KINDS = (*KINDS_BEFORE, "task_assigned")
OPEN_TASK = sa.text("done_at IS NULL")


def _when(name, nullable=False):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _kinds(kinds):
    with op.batch_alter_table("event_mail_opt_outs") as batch_op:
        batch_op.drop_constraint(op.f("ck_event_mail_opt_outs_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_event_mail_opt_outs_kind"), f"kind IN {kinds}")


def upgrade():
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        _when("done_at", nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        sa.CheckConstraint(
            "done_at IS NULL OR assignee_id IS NOT NULL", name=op.f("ck_tasks_done_by_someone")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_tasks_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_tasks_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_tasks_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index("ix_tasks_event", "tasks", ["event_id", "id"])
    op.create_index(
        "ix_tasks_assignee_open",
        "tasks",
        ["assignee_id", "due_on", "id"],
        postgresql_where=OPEN_TASK,
        sqlite_where=OPEN_TASK,
    )
    op.create_table(
        "event_task_settings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("members_add", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_task_settings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_task_settings")),
    )
    op.create_table(
        "event_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint(
            "rating BETWEEN 1 AND 5", name=op.f("ck_event_feedback_rating_one_to_five")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_feedback_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_feedback_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_feedback")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_feedback_event_user"),
    )
    op.create_index(op.f("ix_event_feedback_user_id"), "event_feedback", ["user_id"])
    _kinds(KINDS)


def downgrade():
    op.execute("DELETE FROM event_mail_opt_outs WHERE kind = 'task_assigned'")
    _kinds(KINDS_BEFORE)
    op.drop_index(op.f("ix_event_feedback_user_id"), table_name="event_feedback")
    op.drop_table("event_feedback")
    op.drop_table("event_task_settings")
    op.drop_index("ix_tasks_assignee_open", table_name="tasks")
    op.drop_index("ix_tasks_event", table_name="tasks")
    op.drop_table("tasks")
