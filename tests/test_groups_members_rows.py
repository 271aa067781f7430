"""The members table's rows: their form addresses are built once per table
(manage_members.url_for_each) and are the ones url_for gives, even when the group's
address holds digits like the stand-in id; every row carries a CSRF token that works."""

import re

import pytest
from flask import url_for

from tests.auth_helpers import html
from tests.factories import make_user
from tests.group_factories import add_member, make_group
from webapp.groups.manage_members import url_for_each

STAND_IN_SLUG = "club-2147483647-2147483647"


@pytest.fixture
def club(app):
    """A group whose slug holds the stand-in id twice; Olga owns it, Mina is a member."""
    with app.app_context():
        olga = make_user(email="olga@example.org", first_name="Olga")
        group = make_group(olga, name="Digits", slug=STAND_IN_SLUG)
        mina = add_member(group, make_user(email="mina@example.org", first_name="Mina"))
        return mina.id


@pytest.mark.parametrize("endpoint", ["groups.manage.set_role", "groups.manage.remove"])
@pytest.mark.parametrize("membership_id", [1, 42, 2147483647])
def test_url_for_each_gives_what_url_for_gives(app, endpoint, membership_id):
    with app.test_request_context():
        build = url_for_each(endpoint, slug=STAND_IN_SLUG)
        assert build(membership_id) == url_for(
            endpoint, slug=STAND_IN_SLUG, membership_id=membership_id
        )


def test_each_row_posts_to_its_own_member(app, client, auth, club):
    auth.login("olga@example.org")
    page = html(client.get(f"/groups/{STAND_IN_SLUG}/manage/members"))
    role_action = f"/groups/{STAND_IN_SLUG}/manage/members/{club}/role"
    remove_action = f"/groups/{STAND_IN_SLUG}/manage/members/{club}/remove"
    assert f'action="{role_action}" hx-post="{role_action}"' in page
    assert f'action="{remove_action}" hx-post="{remove_action}"' in page

    # Posted as a browser without JavaScript would, with the token of the row's own form.
    row = re.search(rf'<tr id="member-{club}">.*?</tr>', page, re.S)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', row)[1]
    response = client.post(role_action, data={"role": "organiser", "csrf_token": token})

    assert response.status_code == 303
    assert "Mina" in html(client.get(response.location))
    assert 'value="organiser" selected' in html(client.get(response.location))
