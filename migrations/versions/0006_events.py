"""events: a group's events, answers to them (RSVPs) and their agenda

Revision ID: 0006_events
Revises: 0005_speed
Create Date: 2026-11-22 14:30:00

Counts of answers live on the event row, kept by the RSVP rules under that row's lock,
and a check constraint backs the capacity. On PostgreSQL, searches use pg_trgm GIN
indexes on exactly the expressions webapp.events.queries uses.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_events"
down_revision = "0005_speed"
branch_labels = None
depends_on = None

# As the enums in webapp.events.models were when this ran.
EVENT_STATUSES = ("draft", "published", "cancelled")
ANSWERS = ("going", "waitlisted", "maybe", "not_going")

TRIGRAM_INDEXES = {
    "ix_events_title_trgm": ("events", "lower(title)"),
    "ix_events_description_trgm": ("events", "lower(description)"),
}

LIVE = sa.text("deleted_at IS NULL")


def _when(name, nullable=False):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        _when("starts_at"),
        _when("ends_at"),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        _when("rsvp_deadline", nullable=True),
        sa.Column("guests_allowed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("places_taken", sa.Integer(), server_default="0", nullable=False),
        sa.Column("going_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("waitlist_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("maybe_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("waitlist_tickets", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("published_at", nullable=True),
        _when("cancelled_at", nullable=True),
        _when("deleted_at", nullable=True),
        sa.CheckConstraint(f"status IN {EVENT_STATUSES}", name=op.f("ck_events_status")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_events_ends_after_start")),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity >= 0", name=op.f("ck_events_capacity_not_negative")
        ),
        sa.CheckConstraint("guests_allowed >= 0", name=op.f("ck_events_guests_not_negative")),
        sa.CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity",
            name=op.f("ck_events_places_within_capacity"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_events_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_events_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(
        "ix_events_group_live_by_start",
        "events",
        ["group_id", "starts_at", "id"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )
    op.create_index(
        "ix_events_live_by_start",
        "events",
        ["starts_at", "id"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )
    op.create_table(
        "rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=12), nullable=False),
        sa.Column("guests", sa.Integer(), server_default="0", nullable=False),
        sa.Column("waitlist_ticket", sa.Integer(), nullable=True),
        _when("answered_at"),
        _when("created_at"),
        sa.CheckConstraint(f"answer IN {ANSWERS}", name=op.f("ck_rsvps_answer")),
        sa.CheckConstraint("guests >= 0", name=op.f("ck_rsvps_guests_not_negative")),
        sa.CheckConstraint(
            "(answer = 'waitlisted') = (waitlist_ticket IS NOT NULL)",
            name=op.f("ck_rsvps_ticket_iff_waiting"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_rsvps_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_rsvps_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rsvps")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_rsvps_event_user"),
    )
    op.create_index(
        "ix_rsvps_event_answer", "rsvps", ["event_id", "answer", "waitlist_ticket", "id"]
    )
    op.create_index("ix_rsvps_user_id", "rsvps", ["user_id"])
    op.create_table(
        "agenda_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        _when("starts_at"),
        _when("ends_at"),
        sa.Column("room", sa.String(length=100), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_agenda_sessions_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_agenda_sessions_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_sessions")),
    )
    op.create_index("ix_agenda_sessions_event_id", "agenda_sessions", ["event_id"])
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("bio", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["agenda_sessions.id"],
            name=op.f("fk_speakers_session_id_agenda_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
    )
    op.create_index("ix_speakers_session_id", "speakers", ["session_id"])
    if op.get_bind().dialect.name == "postgresql":
        for name, (table, expression) in TRIGRAM_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def downgrade():
    op.drop_table("speakers")
    op.drop_table("agenda_sessions")
    op.drop_table("rsvps")
    op.drop_table("events")
