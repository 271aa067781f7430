"""reports

Revision ID: 0040_reports
Revises: 0039_discussions
Create Date: 2026-11-26 15:00:00

Reports: a member reports a comment, an event, a person (in a group) or a group's
discussion to the group's organisers or the site admins; one per reporter and thing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0040_reports"
down_revision = "0039_discussions"
branch_labels = None
depends_on = None

SUBJECT_MATCHES = (
    "(kind = 'comment' AND comment_id = subject_id) OR (kind = 'event' AND event_id = "
    "subject_id) OR (kind = 'person' AND person_id = subject_id) OR (kind = 'discussion' "
    "AND discussion_id = subject_id)"
)


def upgrade():
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("discussion_id", sa.Integer(), nullable=True),
        sa.Column("about_user_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("passed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acted_by_id", sa.Integer(), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('comment', 'event', 'person', 'discussion')", name=op.f("ck_reports_kind")
        ),
        sa.CheckConstraint(
            "reason IN ('spam', 'harassment', 'off_topic', 'other')",
            name=op.f("ck_reports_reason"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'passed_up', 'resolved')", name=op.f("ck_reports_state")
        ),
        sa.CheckConstraint(SUBJECT_MATCHES, name=op.f("ck_reports_subject_matches")),
        sa.CheckConstraint(
            "(state = 'resolved') = (outcome IS NOT NULL)",
            name=op.f("ck_reports_resolved_with_outcome"),
        ),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["comment_id"], ["comments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["about_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["acted_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "reporter_id", "group_id", "kind", "subject_id", name="uq_reports_one_per_reporter"
        ),
    )
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id"])
    op.create_index("ix_reports_case", "reports", ["group_id", "kind", "subject_id", "state"])
    op.create_index("ix_reports_state_created", "reports", ["state", "created_at"])


def downgrade():
    op.drop_table("reports")
