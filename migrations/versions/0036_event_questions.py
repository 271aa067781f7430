"""event_questions, question_answers; events.has_questions; groups.answers_kept_days

Revision ID: 0036_event_questions
Revises: 0035_groups_door_used
Create Date: 2026-11-26 06:45:00

Questions organisers ask those who answer an event, and the answers, deleted a number of
days after the event (the group's choice). events.has_questions spares the event's page a
query until the event has a question.
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_event_questions"
down_revision = "0035_groups_door_used"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_questions_event_id", "event_questions", ["event_id"])
    op.create_table(
        "question_answers",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["event_questions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("question_id", "user_id"),
    )
    op.create_index("ix_question_answers_user_id", "question_answers", ["user_id"])
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and triggers name
    # both tables.
    op.add_column(
        "events",
        sa.Column("has_questions", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "groups",
        sa.Column("answers_kept_days", sa.Integer(), server_default="30", nullable=False),
    )


def downgrade():
    op.drop_column("groups", "answers_kept_days")
    op.drop_column("events", "has_questions")
    op.drop_table("question_answers")
    op.drop_table("event_questions")
