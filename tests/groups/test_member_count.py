"""A group's member count is stored and kept by the database, whoever writes memberships:
the services, a cascade, or a bulk load. Pages read it instead of counting."""

import re

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group, Membership


def stored_and_counted(app, slug):
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == slug))
        counted = db.session.scalar(
            sa.select(sa.func.count()).where(
                Membership.group_id == group.id, Membership.status == "active"
            )
        )
        return group.member_count, counted


def shown_count(client, slug):
    html = client.get(f"/groups/{slug}").get_data(as_text=True)
    return int(re.search(r'class="member-count"><strong>(\d+)</strong>', html).group(1))


def test_joining_and_leaving_change_the_count_shown(app, client, auth):
    with app.app_context():
        slug = make_group(make_user()).slug
        joiner = make_user()
    auth.login(joiner.email)
    panel = client.submit(f"/groups/{slug}/join", htmx=True).get_data(as_text=True)
    assert "<strong>2</strong> members" in panel
    assert shown_count(client, slug) == 2
    assert "<strong>1</strong> member" in client.submit(
        f"/groups/{slug}/leave", htmx=True
    ).get_data(as_text=True)
    assert stored_and_counted(app, slug) == (1, 1)


def test_requests_count_once_approved(app, client, auth):
    with app.app_context():
        owner = make_user()
        owner_email = owner.email
        group = make_group(owner, join_policy="approval")
        asking = add_member(group, make_user(), status="pending")
        slug, request_id = group.slug, asking.id
    assert stored_and_counted(app, slug) == (1, 1)
    auth.login(owner_email)
    client.submit(f"/groups/{slug}/manage/requests/{request_id}/approve")
    assert stored_and_counted(app, slug) == (2, 2)


def test_a_deleted_account_and_a_bulk_load_keep_the_count(app):
    with app.app_context():
        group = make_group(make_user())
        leaving = make_user()
        add_member(group, leaving)
        slug, group_id, leaving_id = group.slug, group.id, leaving.id
        people = [make_user().id for _ in range(5)]
    assert stored_and_counted(app, slug) == (2, 2)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == leaving_id))
        db.session.execute(
            sa.insert(Membership),
            [
                {"group_id": group_id, "user_id": person, "role": "member", "status": "active"}
                for person in people
            ],
        )
        db.session.execute(
            sa.update(Membership)
            .where(Membership.user_id == people[0], Membership.group_id == group_id)
            .values(status="pending")
        )
        db.session.commit()
    assert stored_and_counted(app, slug) == (5, 5)


def pending_stored_and_counted(app, slug):
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == slug))
        counted = db.session.scalar(
            sa.select(sa.func.count()).where(
                Membership.group_id == group.id, Membership.status == "pending"
            )
        )
        return group.pending_count, counted


def test_requests_to_join_are_counted_as_they_come_and_go(app, client, auth):
    with app.app_context():
        owner = make_user()
        owner_email = owner.email
        slug = make_group(owner, join_policy="approval").slug
        askers = [make_user().email for _ in range(3)]
    for email in askers:
        auth.login(email)
        assert client.submit(f"/groups/{slug}/join").status_code == 303
        auth.logout()
    assert pending_stored_and_counted(app, slug) == (3, 3)

    auth.login(askers[0])
    client.submit(f"/groups/{slug}/leave")  # withdraws the request
    auth.logout()
    with app.app_context():
        group_id = db.session.scalar(sa.select(Group.id).where(Group.slug == slug))
        waiting = db.session.scalars(
            sa.select(Membership.id)
            .where(Membership.group_id == group_id, Membership.status == "pending")
            .order_by(Membership.id)
        ).all()
    auth.login(owner_email)
    client.submit(f"/groups/{slug}/manage/requests/{waiting[0]}/approve")
    assert pending_stored_and_counted(app, slug) == (1, 1)
    assert stored_and_counted(app, slug) == (2, 2)
    client.submit(f"/groups/{slug}/manage/requests/{waiting[1]}/decline")
    assert pending_stored_and_counted(app, slug) == (0, 0)


def test_a_deleted_account_and_a_bulk_load_keep_the_pending_count(app):
    with app.app_context():
        group = make_group(make_user(), join_policy="approval")
        asking = make_user()
        add_member(group, asking, status="pending")
        slug, group_id, asking_id = group.slug, group.id, asking.id
        people = [make_user().id for _ in range(4)]
    assert pending_stored_and_counted(app, slug) == (1, 1)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == asking_id))
        db.session.execute(
            sa.insert(Membership),
            [
                {"group_id": group_id, "user_id": person, "role": "member", "status": "pending"}
                for person in people
            ],
        )
        db.session.execute(
            sa.update(Membership)
            .where(Membership.user_id == people[0], Membership.group_id == group_id)
            .values(status="active")
        )
        db.session.commit()
    assert pending_stored_and_counted(app, slug) == (3, 3)
    assert stored_and_counted(app, slug) == (2, 2)


def test_the_pending_count_migration_counts_what_is_there_and_goes_back(tmp_path):
    """On a scratch SQLite database: 0011 counts requests already waiting, its triggers
    keep counting, and going back leaves the member count kept as before."""
    from flask_migrate import downgrade, upgrade

    from webapp import create_app

    scratch = create_app(
        {"HEARTH_ENV": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"}
    )

    def run(statement, **values):
        with db.engine.begin() as connection:
            return connection.execute(sa.text(statement), values)

    def counts():
        return tuple(run("SELECT member_count, pending_count FROM groups").one())

    def join(user_id, status):
        run(
            "INSERT INTO memberships (group_id, user_id, role, status, created_at)"
            " VALUES (1, :user, 'member', :status, '2026-01-01')",
            user=user_id,
            status=status,
        )

    with scratch.app_context():
        upgrade(revision="0010_group_managers")
        run(
            "INSERT INTO groups (id, name, slug, description, description_html, visibility,"
            " join_policy, created_at) VALUES (1, 'G', 'g', '', '', 'public', 'approval',"
            " '2026-01-01')"
        )
        for number in range(1, 5):
            run(
                "INSERT INTO users (id, email, email_normalized, first_name, last_name,"
                " password_hash, active, is_site_admin, created_at) VALUES (:n, :e, :e, 'A',"
                " 'B', 'x', 1, 0, '2026-01-01')",
                n=number,
                e=f"u{number}@example.org",
            )
        join(1, "active")
        join(2, "pending")

        upgrade(revision="0011_group_pending_count")
        assert counts() == (1, 1)
        join(3, "pending")
        run("UPDATE memberships SET status = 'active' WHERE user_id = 2")
        assert counts() == (2, 1)

        downgrade(revision="0010_group_managers")
        join(4, "active")
        run("DELETE FROM memberships WHERE user_id = 1")
        assert tuple(run("SELECT member_count FROM groups").one()) == (2,)
        db.engine.dispose()
