"""poll mail: a poll's results are mailed once; the kind people can turn off

Revision ID: 0014_poll_mail
Revises: 0013_polls
Create Date: 2026-11-22 21:00:00

polls.results_mailed_at is the once-only guard of a poll's result email, set under the
poll's row lock by the one run that sends it; the partial index is the sweep's list of
polls still to mail. Polls already closed when this runs closed before their result was
ever mailed: they are marked done, so an upgrade does not mail old results. The event
mail opt-outs take the new kind, poll_results.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_poll_mail"
down_revision = "0013_polls"
branch_labels = None
depends_on = None

# As webapp.events.mail.models.EventMailKind was before and after this ran.
KINDS_BEFORE = ("confirmation", "promotion", "changes", "cancellations", "reminders")
KINDS = (*KINDS_BEFORE, "poll_results")
UNMAILED = sa.text("results_mailed_at IS NULL")


def _kinds(kinds):
    with op.batch_alter_table("event_mail_opt_outs") as batch_op:
        batch_op.drop_constraint(op.f("ck_event_mail_opt_outs_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_event_mail_opt_outs_kind"), f"kind IN {kinds}")


def upgrade():
    op.add_column("polls", sa.Column("results_mailed_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE polls SET results_mailed_at = CURRENT_TIMESTAMP "
        "WHERE closed_at IS NOT NULL OR closes_at <= CURRENT_TIMESTAMP"
    )
    op.create_index(
        "ix_polls_results_unmailed",
        "polls",
        ["closes_at"],
        postgresql_where=UNMAILED,
        sqlite_where=UNMAILED,
    )
    _kinds(KINDS)


def downgrade():
    op.execute("DELETE FROM event_mail_opt_outs WHERE kind = 'poll_results'")
    _kinds(KINDS_BEFORE)
    op.drop_index("ix_polls_results_unmailed", table_name="polls")
    with op.batch_alter_table("polls") as batch_op:
        batch_op.drop_column("results_mailed_at")
