"""Addresses built once per list (webapp.web.url_patterns.url_for_each) are the ones url_for
gives; the members table's rows post to their own member with a CSRF token that works."""

import re

import pytest
from flask import url_for

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.web.url_patterns import url_for_each

STAND_IN_SLUG = "club-1-2-12"


@pytest.fixture
def club(app):
    """A group whose slug holds the stand-in values; Olga owns it, Mina is a member."""
    with app.app_context():
        olga = make_user(email="olga@example.org", first_name="Olga")
        group = make_group(olga, name="Digits", slug=STAND_IN_SLUG)
        mina = add_member(group, make_user(email="mina@example.org", first_name="Mina"))
        return mina.id


@pytest.mark.parametrize("endpoint", ["groups.manage.set_role", "groups.manage.remove"])
@pytest.mark.parametrize("membership_id", [1, 2, 12, 2147483647])
def test_member_addresses_are_those_url_for_gives(app, endpoint, membership_id):
    with app.test_request_context():
        build = url_for_each(endpoint, "membership_id", slug=STAND_IN_SLUG)
        assert build(membership_id) == url_for(
            endpoint, slug=STAND_IN_SLUG, membership_id=membership_id
        )


@pytest.mark.parametrize("slug", ["book-club", "a", "club-1-2", "2", "caf\u00e9 & co/2"])
def test_group_addresses_are_those_url_for_gives(app, slug):
    with app.test_request_context():
        assert url_for_each("groups.detail", "slug")(slug) == url_for("groups.detail", slug=slug)


@pytest.mark.parametrize("args", [{}, {"q": "12 chess 1"}, {"q": "x&y=2", "scope": "mine"}])
@pytest.mark.parametrize("number", [1, 2, 3, 10, 21, 1000000])
def test_page_addresses_are_those_url_for_gives(app, args, number):
    with app.test_request_context():
        build = url_for_each("groups.index", "page", **args)
        assert build(number) == url_for("groups.index", page=number, **args)


@pytest.mark.parametrize("slug", ["summer-picnic", "2147480011", "caf\u00e9 & co"])
@pytest.mark.parametrize("event_id", [1, 2147480023, 2147483647])
def test_addresses_of_two_values_are_those_url_for_gives(app, slug, event_id):
    with app.test_request_context():
        build = url_for_each("events.detail", "event_id", "slug")
        assert build(event_id, slug) == url_for("events.detail", event_id=event_id, slug=slug)


def test_a_stand_in_already_in_the_address_falls_back_to_url_for(app):
    with app.test_request_context():
        build = url_for_each("groups.manage.remove", "membership_id", slug="2147480011")
        assert build(5) == url_for("groups.manage.remove", slug="2147480011", membership_id=5)


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
