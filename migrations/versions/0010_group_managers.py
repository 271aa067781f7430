"""group managers: a partial index of owners and organisers, and statistics that count them

Revision ID: 0010_group_managers
Revises: 0009_group_summary
Create Date: 2026-11-22 15:30:00

A big group's page lists its 3 managers among 30,000 members. Estimated from group_id and
role apart (this group holds a third of all memberships; managers are 3% of them),
PostgreSQL expected thousands of rows and started parallel workers to find 3 (5-60 ms).
Statistics on exactly the expression webapp.groups.queries.MANAGED_GROUP_ID writes give
it the real count; a partial index holds only the managers' rows.
"""

from alembic import op

revision = "0010_group_managers"
down_revision = "0009_group_summary"
branch_labels = None
depends_on = None

# Character for character the expressions webapp/groups/queries.py writes.
MANAGERS_ONLY = "role <> 'member'"
MANAGED_GROUP_ID = "CASE WHEN role <> 'member' THEN group_id END"


def upgrade():
    op.drop_index("ix_memberships_group_role", table_name="memberships")
    op.execute(
        f"CREATE INDEX ix_memberships_managers ON memberships (group_id, role) WHERE {MANAGERS_ONLY}"
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS st_memberships_managed_group"
            f" ON ({MANAGED_GROUP_ID}) FROM memberships"
        )
        op.execute("ANALYZE memberships")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_memberships_managed_group")
    op.drop_index("ix_memberships_managers", table_name="memberships")
    op.create_index("ix_memberships_group_role", "memberships", ["group_id", "role"])
