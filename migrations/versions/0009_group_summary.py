"""group summary: the plain text the groups list shows, stored when a description is saved

Revision ID: 0009_group_summary
Revises: 0008_event_mail
Create Date: 2026-11-22 15:00:00

Each card of the groups list stripped the tags of the stored description HTML and cut it
to 180 characters on every view; webapp.groups.summary does it once per write now. Rows
saved before 0009 are summarised here, with the same function.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_group_summary"
down_revision = "0008_event_mail"
branch_labels = None
depends_on = None

BATCH = 500


def _summarise_existing_groups():
    from webapp.groups.summary import summary_of

    groups = sa.table("groups", sa.column("id"), sa.column("description_html"))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(groups.c.id, groups.c.description_html)
            .where(groups.c.id > last_id)
            .order_by(groups.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            sa.text("UPDATE groups SET summary = :summary WHERE id = :id"),
            [{"id": row.id, "summary": summary_of(row.description_html)} for row in rows],
        )
        last_id = rows[-1].id


# Plain ALTER TABLE, also on SQLite (3.35+ drops columns): a batch operation there copies
# the table under a new name, which the member-count triggers of 0005 refuse.
def upgrade():
    op.add_column("groups", sa.Column("summary", sa.Text(), nullable=False, server_default=""))
    _summarise_existing_groups()


def downgrade():
    op.drop_column("groups", "summary")
