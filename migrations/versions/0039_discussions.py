"""discussions, comments, discussion_follows, talk_settings

Revision ID: 0039_discussions
Revises: 0038_event_cohosts
Create Date: 2026-11-26 13:20:00

Talk: each event's comments and a group's discussions are threads of comments, replies
one level deep; who follows each thread and when they were last emailed about it; who hears of them in
their digest instead. events.has_comments
and groups.has_discussions spare an event's page and a group's the question until
there is something to show.
"""

import sqlalchemy as sa
from alembic import op

revision = "0039_discussions"
down_revision = "0038_event_cohosts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=150), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_comment_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_comment_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comment_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "event_id IS NOT NULL OR title IS NOT NULL", name=op.f("ck_discussions_event_or_title")
        ),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["started_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", name=op.f("uq_discussions_event_id")),
    )
    op.create_index("ix_discussions_group_id", "discussions", ["group_id"])
    op.create_index(
        "ix_discussions_group_latest", "discussions", ["group_id", "last_comment_at", "id"]
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["comments.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_comments_discussion", "comments", ["discussion_id", "id"])
    op.create_index("ix_comments_parent_id", "comments", ["parent_id"])
    op.create_index("ix_comments_author_id", "comments", ["author_id"])
    op.create_table(
        "discussion_follows",
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_up_to", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("discussion_id", "user_id"),
    )
    op.create_index("ix_discussion_follows_user_id", "discussion_follows", ["user_id"])
    op.create_table(
        "talk_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("in_digest", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and triggers name
    # both tables.
    op.add_column(
        "events",
        sa.Column("has_comments", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "groups",
        sa.Column("has_discussions", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    op.drop_column("groups", "has_discussions")
    op.drop_column("events", "has_comments")
    op.drop_table("talk_settings")
    op.drop_table("discussion_follows")
    op.drop_table("comments")
    op.drop_table("discussions")
