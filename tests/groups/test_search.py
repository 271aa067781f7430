"""Searching groups and members: case-insensitive, anywhere in the text, and %, _ and \\
typed mean themselves (the LIKE pattern escapes them)."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html


@pytest.fixture
def shelf(app):
    with app.app_context():
        owner = make_user(first_name="Olga", last_name="Owner")
        make_group(owner, name="100% Tea", description="Green and *black*.")
        make_group(owner, name="Tea_Time", description="Scones.")
        make_group(owner, name="Coffee", description="Beans from 100 places, and TEA too.")
        group = make_group(owner, name="Back\\slash")
        add_member(group, make_user(first_name="Zoë", last_name="Quill", email="zq@example.org"))
        return group.slug, owner.email


def found(client, query):
    return re.findall(r">([^<]+)</a></h2>", html(client.get("/groups", query_string={"q": query})))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("tea", ["100% Tea", "Coffee", "Tea_Time"]),
        ("100%", ["100% Tea"]),
        ("a_t", ["Tea_Time"]),
        ("\\", ["Back\\slash"]),
        ("SCONES", ["Tea_Time"]),
    ],
)
def test_group_search_finds_text_anywhere_and_takes_wildcards_literally(
    client, shelf, query, names
):
    assert found(client, query) == names


def test_member_search_finds_names_and_addresses(client, auth, shelf):
    slug, owner_email = shelf
    auth.login(owner_email)
    for query in ("zoë q", "QUILL", "zq@example"):
        page = html(client.get(f"/groups/{slug}/manage/members", query_string={"q": query}))
        assert "Zoë Quill" in page and "Olga Owner" not in page, query
