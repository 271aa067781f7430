"""announcements: what organisers tell a group or an event's people, who read it, how
each person takes a group's announcements; outbox messages of a send to many

Revision ID: 0031_announcements
Revises: 0030_series_folded
Create Date: 2026-11-26 00:30:00

An announcement is written once and sent, now or at its time, to a group's members or to
an event's people by their answers; its messages are outbox rows with its bulk key,
delivered from a queue of their own. A group may announce each event it publishes. A
group and an event mark that they have announcements, so that their pages ask nothing
about them until then.
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_announcements"
down_revision = "0030_series_folded"
branch_labels = None
depends_on = None

WAITING = sa.text("state = 'scheduled'")
IN_BULK = sa.text("bulk_key IS NOT NULL")


def upgrade():
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("to_going", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("to_maybe", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("to_waitlisted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(150), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reached_user_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("recipient_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('scheduled', 'sending', 'sent', 'withdrawn')", name=op.f("ck_announcements_state")
        ),
        sa.CheckConstraint(
            "event_id IS NOT NULL OR NOT (to_going OR to_maybe OR to_waitlisted)",
            name=op.f("ck_announcements_answers_only_for_an_event"),
        ),
        sa.CheckConstraint(
            "event_id IS NULL OR to_going OR to_maybe OR to_waitlisted",
            name=op.f("ck_announcements_an_event_announcement_has_an_audience"),
        ),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_announcements_group", "announcements", ["group_id", "send_at", "id"])
    op.create_index("ix_announcements_event", "announcements", ["event_id", "send_at", "id"])
    op.create_index(
        "ix_announcements_waiting",
        "announcements",
        ["send_at"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )
    op.create_table(
        "announcement_reads",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["announcement_id"], ["announcements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("announcement_id", "user_id"),
    )
    op.create_index("ix_announcement_reads_user_id", "announcement_reads", ["user_id"])
    op.create_table(
        "announcement_deliveries",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("delivery", sa.String(10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "delivery IN ('email', 'digest', 'off')", name=op.f("ck_announcement_deliveries_delivery")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "group_id"),
    )
    op.create_index(
        "ix_announcement_deliveries_group_id", "announcement_deliveries", ["group_id"]
    )
    # Plain ADD COLUMN, not a batch: on SQLite a batch copies the table, and the triggers
    # on memberships and events name groups.
    op.add_column(
        "groups",
        sa.Column("announce_new_events", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    for table in ("groups", "events"):
        op.add_column(
            table,
            sa.Column("has_announcements", sa.Boolean(), server_default=sa.false(), nullable=False),
        )
    op.add_column("outbox_messages", sa.Column("bulk_key", sa.String(60), nullable=True))
    op.create_index(
        "ix_outbox_messages_bulk_state",
        "outbox_messages",
        ["bulk_key", "state"],
        postgresql_where=IN_BULK,
        sqlite_where=IN_BULK,
    )


def downgrade():
    op.drop_index("ix_outbox_messages_bulk_state", table_name="outbox_messages")
    op.drop_column("outbox_messages", "bulk_key")
    op.drop_column("events", "has_announcements")
    op.drop_column("groups", "has_announcements")
    op.drop_column("groups", "announce_new_events")
    op.drop_table("announcement_deliveries")
    op.drop_table("announcement_reads")
    op.drop_table("announcements")
