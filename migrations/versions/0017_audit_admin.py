"""audit log and admin: one audit_log for organisers' and admins' actions; suspended groups

Revision ID: 0017_audit_admin
Revises: 0016_files
Create Date: 2026-11-22 22:30:00

The group history (membership_events) moves into audit_log, row for row, and the table
goes: the history page reads the audit log for its group. groups.suspended_at hides and
freezes a group; the groups list's partial index and the events' listing (kept by the
triggers of 0012_event_listing) treat a suspended group as they treat a deleted one, so
the lists stay a walk along one index. The downgrade puts the history back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_audit_admin"
down_revision = "0016_files"
branch_labels = None
depends_on = None

# The actions of the group history, as webapp.groups.models.HistoryAction had them.
HISTORY_ACTIONS = (
    "created", "settings_changed", "deleted", "joined", "requested", "left", "withdrew",
    "approved", "declined", "role_changed", "removed", "ownership_transferred", "invited",
    "invitation_resent", "invitation_revoked", "invitation_accepted",
)  # fmt: skip

LIVE_BEFORE = sa.text("deleted_at IS NULL")
LIVE_NOW = sa.text("deleted_at IS NULL AND suspended_at IS NULL")

# The events' listing from their group, before and after (see 0012_event_listing).
HIDDEN_BEFORE = "{group}.deleted_at IS NOT NULL"
HIDDEN_NOW = "{group}.deleted_at IS NOT NULL OR {group}.suspended_at IS NOT NULL"
LISTING = (
    "CASE WHEN {hidden} THEN 'hidden'"
    " WHEN {{group}}.visibility = 'public' THEN 'public' ELSE 'members' END"
)


def _listing(hidden, group):
    return LISTING.format(hidden=hidden).format(group=group)


def _postgres_triggers(hidden, columns, changed):
    return f"""
CREATE OR REPLACE FUNCTION events_take_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {_listing(hidden, "groups")} INTO NEW.listing
    FROM groups WHERE groups.id = NEW.group_id;
    RETURN NEW;
END
$$;
CREATE OR REPLACE FUNCTION groups_pass_on_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events SET listing = {_listing(hidden, "NEW")}
    WHERE group_id = NEW.id AND listing <> {_listing(hidden, "NEW")};
    RETURN NULL;
END
$$;
DROP TRIGGER groups_listing_changed ON groups;
CREATE TRIGGER groups_listing_changed AFTER UPDATE OF {columns} ON groups
    FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION groups_pass_on_listing();
"""


def _sqlite_triggers(hidden, columns):
    return [
        "DROP TRIGGER events_listing_inserted",
        "DROP TRIGGER groups_listing_changed",
        "CREATE TRIGGER events_listing_inserted AFTER INSERT ON events BEGIN"
        f" UPDATE events SET listing = (SELECT {_listing(hidden, 'groups')}"
        " FROM groups WHERE groups.id = NEW.group_id) WHERE id = NEW.id; END",
        f"CREATE TRIGGER groups_listing_changed AFTER UPDATE OF {columns} ON groups BEGIN"
        f" UPDATE events SET listing = {_listing(hidden, 'NEW')}"
        f" WHERE group_id = NEW.id AND listing <> {_listing(hidden, 'NEW')}; END",
    ]


CHANGED_BEFORE = (
    "OLD.visibility IS DISTINCT FROM NEW.visibility"
    " OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)"
)
CHANGED_NOW = CHANGED_BEFORE + " OR (OLD.suspended_at IS NULL) <> (NEW.suspended_at IS NULL)"


def _set_triggers(hidden, columns, changed):
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_postgres_triggers(hidden, columns, changed))
    else:
        for statement in _sqlite_triggers(hidden, columns):
            op.execute(statement)


def _groups_index(where):
    op.drop_index("ix_groups_live_by_name", table_name="groups")
    op.create_index(
        "ix_groups_live_by_name",
        "groups",
        ["name", "id", "visibility"],
        postgresql_where=where,
        sqlite_where=where,
    )


def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_audit_log_group_id_groups"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_actor_id", "audit_log", ["actor_id"])
    op.create_index("ix_audit_log_group_created", "audit_log", ["group_id", "created_at", "id"])
    op.create_index("ix_audit_log_created", "audit_log", ["created_at", "id"])
    op.create_index("ix_audit_log_action_created", "audit_log", ["action", "created_at"])
    _move_history_into_audit_log()
    op.drop_index("ix_membership_events_group_id", table_name="membership_events")
    op.drop_table("membership_events")

    op.add_column("groups", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    _groups_index(LIVE_NOW)
    _set_triggers(HIDDEN_NOW, "visibility, deleted_at, suspended_at", CHANGED_NOW)


def downgrade():
    _set_triggers(HIDDEN_BEFORE, "visibility, deleted_at", CHANGED_BEFORE)
    _groups_index(LIVE_BEFORE)
    op.drop_column("groups", "suspended_at")

    op.create_table(
        "membership_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("subject_email", sa.String(length=320), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_membership_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_membership_events_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["users.id"],
            name=op.f("fk_membership_events_subject_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_events")),
    )
    op.create_index("ix_membership_events_group_id", "membership_events", ["group_id"])
    _move_audit_log_into_history()
    op.drop_table("audit_log")


AUDIT = sa.table(
    "audit_log",
    sa.column("actor_id"),
    sa.column("action"),
    sa.column("subject_type"),
    sa.column("subject_id"),
    sa.column("group_id"),
    sa.column("data", sa.JSON()),
    sa.column("created_at"),
)
HISTORY = sa.table(
    "membership_events",
    sa.column("id"),
    sa.column("group_id"),
    sa.column("actor_id"),
    sa.column("subject_id"),
    sa.column("subject_email"),
    sa.column("action"),
    sa.column("detail"),
    sa.column("created_at"),
)
USERS = sa.table(
    "users", sa.column("id"), sa.column("first_name", sa.String), sa.column("last_name", sa.String)
)
GROUPS = sa.table("groups", sa.column("id"), sa.column("name"))
BATCH = 1000


def _move_history_into_audit_log():
    """Each history row becomes an audit row, in id order, a batch at a time; names as
    the rows' people and groups have them now."""
    connection = op.get_bind()
    subject = USERS.alias("subject")
    statement = (
        sa.select(
            HISTORY,
            (subject.c.first_name + sa.literal_column("' '") + subject.c.last_name).label("subject_name"),
            GROUPS.c.name.label("group_name"),
        )
        .outerjoin(subject, subject.c.id == HISTORY.c.subject_id)
        .join(GROUPS, GROUPS.c.id == HISTORY.c.group_id)
        .order_by(HISTORY.c.id)
    )
    last_id = 0
    while rows := connection.execute(statement.where(HISTORY.c.id > last_id).limit(BATCH)).all():
        connection.execute(AUDIT.insert(), [_audit_row(row) for row in rows])
        last_id = rows[-1].id


def _audit_row(row):
    detail = {"detail": row.detail} if row.detail else {}
    if row.subject_id is not None:
        kind, subject_id, data = "user", row.subject_id, {"name": row.subject_name.strip()}
    elif row.subject_email:
        kind, subject_id, data = "user", None, {"email": row.subject_email}
    else:
        kind, subject_id, data = "group", row.group_id, {"name": row.group_name}
    return {
        "actor_id": row.actor_id,
        "action": row.action,
        "subject_type": kind,
        "subject_id": subject_id,
        "group_id": row.group_id,
        "data": {**data, **detail},
        "created_at": row.created_at,
    }


def _move_audit_log_into_history():
    """The group history's rows go back; the audit log's other rows go with its table."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(AUDIT)
        .where(AUDIT.c.group_id.is_not(None), AUDIT.c.action.in_(HISTORY_ACTIONS))
        .order_by(AUDIT.c.created_at)
    ).all()
    if rows:
        connection.execute(
            HISTORY.insert(),
            [
                {
                    "group_id": row.group_id,
                    "actor_id": row.actor_id,
                    "subject_id": row.subject_id if row.subject_type == "user" else None,
                    "subject_email": (row.data or {}).get("email")
                    if row.subject_type == "user" and row.subject_id is None
                    else None,
                    "action": row.action,
                    "detail": str((row.data or {}).get("detail", ""))[:200],
                    "created_at": row.created_at,
                }
                for row in rows
            ],
        )
