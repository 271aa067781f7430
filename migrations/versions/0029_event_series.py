"""event series: a rule of dates whose each date is an event, and standing answers

Revision ID: 0029_event_series
Revises: 0028_users_language
Create Date: 2026-11-25 18:00:00

A series holds its RRULE text, its first date, the time its dates start on the clocks of
its zone and what a new date starts as; its dates are events (series_id, series_date),
one per date of the rule. People going to "this and every later date" hold a standing
answer, applied to each date as it is made.
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_event_series"
down_revision = "0028_users_language"
branch_labels = None
depends_on = None

NOT_COMPLETE = sa.text("NOT complete")
IN_A_SERIES = sa.text("series_id IS NOT NULL")


def upgrade():
    op.create_table(
        "event_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("starts_time", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("rsvp_closes_minutes_before", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(150), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("venue", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("online_url", sa.String(500), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("guests_allowed", sa.Integer(), server_default="0", nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("made_until", sa.Date(), nullable=True),
        sa.Column("complete", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("answer_tickets", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_event_series_duration_positive")),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity >= 1", name=op.f("ck_event_series_capacity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_event_series_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_event_series_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_series")),
    )
    op.create_index(op.f("ix_event_series_group_id"), "event_series", ["group_id"])
    op.create_index(
        "ix_event_series_to_fill",
        "event_series",
        ["made_until"],
        postgresql_where=NOT_COMPLETE,
        sqlite_where=NOT_COMPLETE,
    )
    op.create_table(
        "series_standing_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("ticket", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["event_series.id"],
            name=op.f("fk_series_standing_answers_series_id_event_series"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_series_standing_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_standing_answers")),
        sa.UniqueConstraint("series_id", "user_id", name="uq_standing_answers_series_user"),
    )
    op.create_index(
        op.f("ix_series_standing_answers_user_id"), "series_standing_answers", ["user_id"]
    )
    op.create_index(
        "ix_standing_answers_series_ticket", "series_standing_answers", ["series_id", "ticket"]
    )
    # Added, not batched: a batch on SQLite would build the table again, without its
    # triggers (migration 0012_event_listing and after); SQLite adds a column that refers
    # to another table only as SQL of its own.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE events ADD COLUMN series_id INTEGER "
            "REFERENCES event_series (id) ON DELETE CASCADE"
        )
    else:
        op.add_column("events", sa.Column("series_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_events_series_id_event_series",
            "events",
            "event_series",
            ["series_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.add_column("events", sa.Column("series_date", sa.Date(), nullable=True))
    op.add_column(
        "events",
        sa.Column("series_detached", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index(
        "ix_events_series_date",
        "events",
        ["series_id", "series_date"],
        unique=True,
        postgresql_where=IN_A_SERIES,
        sqlite_where=IN_A_SERIES,
    )
    if op.get_bind().dialect.name == "postgresql":
        # SQLite cannot add a check to a table it keeps (see above): the rules keep it there.
        op.create_check_constraint(
            "ck_events_series_date_iff_series",
            "events",
            "(series_id IS NULL) = (series_date IS NULL)",
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("ck_events_series_date_iff_series", "events", type_="check")
    op.drop_index("ix_events_series_date", table_name="events")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_events_series_id_event_series", "events", type_="foreignkey")
    op.drop_column("events", "series_detached")
    op.drop_column("events", "series_date")
    op.drop_column("events", "series_id")
    op.drop_index("ix_standing_answers_series_ticket", table_name="series_standing_answers")
    op.drop_index(op.f("ix_series_standing_answers_user_id"), table_name="series_standing_answers")
    op.drop_table("series_standing_answers")
    op.drop_index("ix_event_series_to_fill", table_name="event_series")
    op.drop_index(op.f("ix_event_series_group_id"), table_name="event_series")
    op.drop_table("event_series")
