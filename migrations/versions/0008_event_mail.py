"""event mail: calendar versions and reminders of events, opt-outs, calendar feeds

Revision ID: 0008_event_mail
Revises: 0007_events_more
Create Date: 2026-11-23 10:00:00

event_mail_states holds an event's calendar SEQUENCE and when its reminder went out (the
reminder's once-only guard); event_mail_opt_outs the kinds of event email a person turned
off; calendar_feeds the generation a person's private feed address is derived from.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_event_mail"
down_revision = "0007_events_more"
branch_labels = None
depends_on = None

# As webapp.events.mail.models.EventMailKind was when this ran.
KINDS = ("confirmation", "promotion", "changes", "cancellations", "reminders")


def _when(name, nullable=False):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        "event_mail_states",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        _when("reminded_at", nullable=True),
        sa.CheckConstraint(
            "sequence >= 0", name=op.f("ck_event_mail_states_sequence_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_mail_states_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_mail_states")),
    )
    op.create_table(
        "event_mail_opt_outs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        _when("created_at"),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_event_mail_opt_outs_kind")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_mail_opt_outs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_event_mail_opt_outs")),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), server_default="0", nullable=False),
        _when("renewed_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_calendar_feeds")),
    )


def downgrade():
    op.drop_table("calendar_feeds")
    op.drop_table("event_mail_opt_outs")
    op.drop_table("event_mail_states")
