"""Migration 0017_audit_admin moves the group history into the audit log, row for row,
and its downgrade puts it back: on a scratch SQLite database, from 0014 up and down."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.support.other_apps import app_like
from webapp.extensions import db

HISTORY = [
    # (actor, subject, email, action, detail)
    (1, 1, None, "created", ""),
    (1, 2, None, "approved", ""),
    (1, None, "guest@example.org", "invited", "organiser"),
    (1, None, None, "settings_changed", ""),
]


def read_back(query):
    """The rows of query, the database's tables, and the columns of groups, as they stand
    after a migration."""
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        groups = {column["name"] for column in inspector.get_columns("groups")}
        return connection.execute(sa.text(query)).all(), inspector.get_table_names(), groups


def test_the_group_history_moves_into_the_audit_log_and_back(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.db'}"
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}}
    with app_like(app, **settings) as scratch, scratch.app_context():
        upgrade(revision="0014_poll_mail")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, email, email_normalized, first_name, last_name,"
                    " password_hash, active, is_site_admin, time_zone, appearance,"
                    " email_notifications, created_at) VALUES"
                    " (1, 'o@x.org', 'o@x.org', 'Olive', 'Owner', 'x', 1, 0, 'UTC', 'system',"
                    " 1, '2026-01-01'),"
                    " (2, 'm@x.org', 'm@x.org', 'Mo', 'Member', 'x', 1, 0, 'UTC', 'system',"
                    " 1, '2026-01-01')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO groups (id, name, slug, description, description_html,"
                    " summary, visibility, join_policy, created_at) VALUES"
                    " (7, 'Bees', 'bees', '', '', '', 'public', 'open', '2026-01-01')"
                )
            )
            for number, (actor, subject, email, action, detail) in enumerate(HISTORY):
                connection.execute(
                    sa.text(
                        "INSERT INTO membership_events (group_id, actor_id, subject_id,"
                        " subject_email, action, detail, created_at) VALUES (7, :actor,"
                        " :subject, :email, :action, :detail, :at)"
                    ),
                    {
                        "actor": actor,
                        "subject": subject,
                        "email": email,
                        "action": action,
                        "detail": detail,
                        "at": f"2026-01-0{number + 1} 10:00:00",
                    },
                )

        upgrade(revision="0017_audit_admin")
        moved, tables, _ = read_back(
            "SELECT actor_id, action, subject_type, subject_id, group_id, data"
            " FROM audit_log ORDER BY id"
        )
        assert "membership_events" not in tables
        assert [(row[1], row[2], row[3], row[4]) for row in moved] == [
            ("created", "user", 1, 7),
            ("approved", "user", 2, 7),
            ("invited", "user", None, 7),
            ("settings_changed", "group", 7, 7),
        ]
        assert '"Mo Member"' in moved[1][5]
        assert "guest@example.org" in moved[2][5] and "organiser" in moved[2][5]

        downgrade(revision="0014_poll_mail")
        back, tables, columns = read_back(
            "SELECT actor_id, subject_id, subject_email, action, detail"
            " FROM membership_events ORDER BY created_at"
        )
        assert "audit_log" not in tables and "suspended_at" not in columns
        assert [tuple(row) for row in back] == [
            (1, 1, None, "created", ""),
            (1, 2, None, "approved", ""),
            (1, None, "guest@example.org", "invited", "organiser"),
            (1, None, None, "settings_changed", ""),
        ]
