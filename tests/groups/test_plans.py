"""PostgreSQL plans of the reads that once grew with a group's size (EXPLAIN, no timing).

Data shaped like a real instance: one group holding most memberships, many small groups
whose managers are a large share of theirs. Estimated from group_id and role apart, the
big group's 3 managers looked like thousands of rows, and the planner started parallel
workers for them (5-60 ms a view instead of 0.1).
"""

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group, Membership
from webapp.groups.queries import managers_in

SMALL_GROUPS = 1_000
SMALL_GROUP_SIZE = 10  # 3 managers each
BIG_GROUP_SIZE = 20_003  # 3 managers


def _fill():
    run = db.session.execute
    run(
        sa.text(
            "INSERT INTO users (email, email_normalized, first_name, last_name, password_hash,"
            " active, is_site_admin, created_at) SELECT 'p' || n || '@example.org',"
            " 'p' || n || '@example.org', 'Pat', 'P' || n, 'x', true, false, now()"
            " FROM generate_series(1, :n) AS n"
        ),
        {"n": BIG_GROUP_SIZE},
    )
    run(
        sa.text(
            "INSERT INTO groups (name, slug, description, description_html, visibility,"
            " join_policy, created_at) SELECT 'Group ' || n, 'plan-' || n, '', '', 'public',"
            " 'open', now() FROM generate_series(0, :n) AS n"
        ),
        {"n": SMALL_GROUPS},
    )
    first_user = db.session.scalar(sa.select(sa.func.min(User.id)))
    first_group = db.session.scalar(sa.select(sa.func.min(Group.id)))
    role = "CASE WHEN n = 0 THEN 'owner' WHEN n < 3 THEN 'organiser' ELSE 'member' END"
    run(
        sa.text(
            f"INSERT INTO memberships (group_id, user_id, role, status, created_at)"  # noqa: S608
            f" SELECT :big, :user + n, {role}, 'active', now()"
            f" FROM generate_series(0, :size - 1) AS n"
        ),
        {"big": first_group, "user": first_user, "size": BIG_GROUP_SIZE},
    )
    run(
        sa.text(
            f"INSERT INTO memberships (group_id, user_id, role, status, created_at)"  # noqa: S608
            f" SELECT :big + g, :user + (g - 1) * :size + n, {role}, 'active', now()"
            f" FROM generate_series(1, :groups) AS g, generate_series(0, :size - 1) AS n"
        ),
        {"big": first_group, "user": first_user, "groups": SMALL_GROUPS, "size": SMALL_GROUP_SIZE},
    )
    run(sa.text("ANALYZE memberships"))
    return db.session.get(Group, first_group)


def _plan(statement):
    connection = db.session.connection()
    compiled = statement.compile(connection)
    rows = connection.exec_driver_sql("EXPLAIN " + compiled.string, compiled.params)
    return "\n".join(row[0] for row in rows)


@pytest.mark.postgres
def test_a_big_groups_few_managers_are_expected_as_few(app_context):
    big = _fill()
    statement = (
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .options(contains_eager(Membership.user))
        .where(*managers_in(big.id))
    )

    plan = _plan(statement)
    db.session.rollback()

    memberships_scan = next(line for line in plan.splitlines() if "on memberships" in line)
    expected_rows = int(re.search(r"rows=(\d+)", memberships_scan)[1])
    assert expected_rows < 50, plan
    assert "Gather" not in plan, plan
    assert "ix_memberships_managers" in plan, plan
