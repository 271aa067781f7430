"""polls: questions of a group or an event, their options, and members' votes

Revision ID: 0013_polls
Revises: 0012_event_listing
Create Date: 2026-11-22 20:00:00

The database keeps votes honest: a vote refers to its option together with its poll
(option_id, poll_id), so it cannot name another poll's option; one vote per member per
option is a unique constraint; and each vote copies its poll's choice under a foreign
key to (polls.id, polls.choice), so a partial unique index keeps a single-choice poll to
one vote per member. Counts live on the rows (voter_count, yes_count, if_need_be_count),
kept by the voting rules under the poll's row lock.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_polls"
down_revision = "0012_event_listing"
branch_labels = None
depends_on = None

# As the enums in webapp.polls.models were when this ran.
KINDS = ("plain", "date")
CHOICES = ("single", "multiple")
RESULTS_SHOWN = ("at_once", "after_voting", "after_closing")
ANSWERS = ("yes", "if_need_be", "no")

SINGLE_CHOICE = sa.text("choice = 'single'")


def _when(name, nullable=False):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=True),
        sa.Column("results_shown", sa.String(length=16), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        _when("closes_at", nullable=True),
        _when("closed_at", nullable=True),
        sa.Column("voter_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_polls_kind")),
        sa.CheckConstraint(f"choice IN {CHOICES}", name=op.f("ck_polls_choice")),
        sa.CheckConstraint(
            f"results_shown IN {RESULTS_SHOWN}", name=op.f("ck_polls_results_shown")
        ),
        sa.CheckConstraint(
            "kind = 'plain' OR choice = 'multiple'", name=op.f("ck_polls_date_polls_multiple")
        ),
        sa.CheckConstraint(
            "max_choices IS NULL OR (choice = 'multiple' AND max_choices >= 1)",
            name=op.f("ck_polls_max_choices_of_multiple"),
        ),
        sa.CheckConstraint("voter_count >= 0", name=op.f("ck_polls_voter_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_polls_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_polls_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_polls_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polls")),
        sa.UniqueConstraint("id", "choice", name="uq_polls_id_choice"),
    )
    op.create_index("ix_polls_group_id", "polls", ["group_id"])
    op.create_index("ix_polls_event_id", "polls", ["event_id"])
    op.create_table(
        "poll_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        _when("starts_at", nullable=True),
        _when("ends_at", nullable=True),
        sa.Column("yes_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("if_need_be_count", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "(starts_at IS NULL) = (ends_at IS NULL)",
            name=op.f("ck_poll_options_slot_has_both_ends"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_poll_options_ends_after_start")),
        sa.CheckConstraint(
            "yes_count >= 0 AND if_need_be_count >= 0",
            name=op.f("ck_poll_options_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["polls.id"],
            name=op.f("fk_poll_options_poll_id_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_options")),
        sa.UniqueConstraint("id", "poll_id", name="uq_poll_options_id_poll"),
    )
    op.create_index(
        "ix_poll_options_poll_position", "poll_options", ["poll_id", "position", "id"]
    )
    op.create_table(
        "poll_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.String(length=12), nullable=False),
        _when("voted_at"),
        sa.CheckConstraint(f"choice IN {CHOICES}", name=op.f("ck_poll_votes_choice")),
        sa.CheckConstraint(f"answer IN {ANSWERS}", name=op.f("ck_poll_votes_answer")),
        sa.ForeignKeyConstraint(
            ["option_id", "poll_id"],
            ["poll_options.id", "poll_options.poll_id"],
            name="fk_poll_votes_option_of_poll",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id", "choice"],
            ["polls.id", "polls.choice"],
            name="fk_poll_votes_choice_of_poll",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_poll_votes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_poll_votes")),
        sa.UniqueConstraint(
            "poll_id", "user_id", "option_id", name="uq_poll_votes_member_option"
        ),
    )
    op.create_index(
        "uq_poll_votes_single_choice",
        "poll_votes",
        ["poll_id", "user_id"],
        unique=True,
        postgresql_where=SINGLE_CHOICE,
        sqlite_where=SINGLE_CHOICE,
    )
    op.create_index("ix_poll_votes_option", "poll_votes", ["option_id"])
    op.create_index("ix_poll_votes_user_id", "poll_votes", ["user_id"])


def downgrade():
    op.drop_table("poll_votes")
    op.drop_table("poll_options")
    op.drop_table("polls")
