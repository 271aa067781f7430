"""A group's member count is stored and kept by the database, whoever writes memberships:
the services, a cascade, or a bulk load. Pages read it instead of counting."""

import re

import sqlalchemy as sa

from tests.factories import make_user
from tests.group_factories import add_member, make_group
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
