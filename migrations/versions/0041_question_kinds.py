"""event_questions.kind and shown_to; question_choices; question_answers.choices

Revision ID: 0041_question_kinds
Revises: 0040_reports
Create Date: 2026-11-27 00:10:00

A question asks for a short text, one choice or several; its answers are read by the
organisers only, or by everyone who sees the list of people coming. Choices have ids of
their own, so an answer names what was chosen however the question changes later.
"""

import sqlalchemy as sa
from alembic import op

revision = "0041_question_kinds"
down_revision = "0040_reports"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table. The checks come
    # with the columns (SQLite cannot add a constraint to a table that exists).
    op.add_column(
        "event_questions",
        sa.Column(
            "kind",
            sa.String(10),
            sa.CheckConstraint(
                "kind IN ('text', 'one', 'several')", name=op.f("ck_event_questions_kind")
            ),
            server_default="text",
            nullable=False,
        ),
    )
    op.add_column(
        "event_questions",
        sa.Column(
            "shown_to",
            sa.String(12),
            sa.CheckConstraint(
                "shown_to IN ('organisers', 'attendees')",
                name=op.f("ck_event_questions_shown_to"),
            ),
            server_default="organisers",
            nullable=False,
        ),
    )
    op.create_table(
        "question_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["event_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_choices_question_id", "question_choices", ["question_id"])
    op.add_column("question_answers", sa.Column("choices", sa.JSON(), nullable=True))


def downgrade():
    op.drop_column("question_answers", "choices")
    op.drop_table("question_choices")
    with op.batch_alter_table("event_questions") as batch:
        batch.drop_column("shown_to")
        batch.drop_column("kind")
