"""Groups: starting one, its address and description, finding groups, renaming and deleting."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from tests.support.html_checks import by_id, field_error, inline_code, input_value
from webapp.extensions import db
from webapp.groups.models import Group, Membership

TAKEN = "Another group already uses this address."


@pytest.fixture
def owner(app):
    with app.app_context():
        return make_user(first_name="Olga")


@pytest.fixture
def logged_in(auth, owner):
    auth.login(owner.email)
    return owner


def group_form(**overrides):
    data = {
        "name": "Book Club",
        "slug": "",
        "description": "We read.",
        "visibility": "public",
        "join_policy": "open",
    }
    return data | overrides


def stored_group(app, slug):
    with app.app_context():
        return db.session.scalar(sa.select(Group).where(Group.slug == slug))


def listed(response):
    """Names of the groups a results list shows, in order."""
    names = re.findall(
        r'<article class="group-card">\s*<header>\s*<h2><a [^>]*>(.*?)</a>', html(response)
    )
    return [unescape(name) for name in names]


def test_a_verified_member_creates_a_group_and_becomes_its_owner(app, client, logged_in):
    response = client.submit("/groups/new", group_form(name="Book Club Ünterwegs!"))

    assert response.status_code == 303
    assert response.location == "/groups/book-club-unterwegs"
    group = stored_group(app, "book-club-unterwegs")
    with app.app_context():
        memberships = db.session.scalars(
            sa.select(Membership).where(Membership.group_id == group.id)
        )
        assert [(m.user_id, m.role, m.status) for m in memberships] == [
            (logged_in.id, "owner", "active")
        ]
    page = client.get(response.location)
    assert page.status_code == 200
    assert "You are the owner of this group." in html(page)
    # The address can be chosen instead; it is lower-cased.
    chosen = client.submit("/groups/new", group_form(slug=" Readers "))
    assert (chosen.status_code, chosen.location) == (303, "/groups/readers")


@pytest.mark.parametrize(("name", "slug"), [("Readers", "taken"), ("Readers", "new")])
def test_a_taken_or_reserved_address_is_refused_next_to_the_field(
    app, client, logged_in, name, slug
):
    with app.app_context():
        make_group(make_user(), slug="taken")

    response = client.submit("/groups/new", group_form(name=name, slug=slug))

    assert response.status_code == 422
    assert field_error(html(response), "slug") == TAKEN
    assert input_value(html(response), "slug") == slug
    assert stored_group(app, "readers") is None


@pytest.mark.parametrize(
    ("name", "expected"), [("Taken", "/groups/taken-2"), ("New", "/groups/new-2")]
)
def test_an_address_made_from_a_taken_name_gets_a_number(app, client, logged_in, name, expected):
    with app.app_context():
        make_group(make_user(), slug="taken")

    response = client.submit("/groups/new", group_form(name=name, slug=""))

    assert (response.status_code, response.location) == (303, expected)


@pytest.mark.parametrize("slug", ["not/valid", "-edge", "double--hyphen", "ü-umlaut", "x"])
def test_an_invalid_address_is_refused(app, client, logged_in, slug):
    response = client.submit("/groups/new", group_form(slug=slug))

    assert response.status_code == 422
    assert field_error(html(response), "slug") is not None
    assert stored_group(app, slug) is None


def test_a_missing_name_comes_back_with_what_was_typed(app, client, logged_in):
    response = client.submit(
        "/groups/new", group_form(name="  ", slug="chess", description="Every *Tuesday*")
    )

    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "name") == "Give the group a name."
    assert input_value(page, "slug") == "chess"
    # A browser drops the newline that opens a <textarea>; HTMLParser keeps it.
    assert by_id(page, "description").text.lstrip("\r\n") == "Every *Tuesday*"
    assert stored_group(app, "chess") is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    for response in (client.get("/groups/new"), client.submit("/groups/new", group_form())):
        assert response.status_code in (302, 303)
        assert response.location.startswith("/login?next=/groups/new")


def test_the_description_is_rendered_from_markdown_and_sanitised(client, logged_in):
    description = (
        "**Bold** words and [our site](https://example.org).\n\n"
        "<script>alert('script')</script>\n\n"
        "[click](javascript:alert('link'))\n\n"
        "<img src=x onerror=\"alert('img')\">"
    )
    client.submit("/groups/new", group_form(slug="safe", description=description))

    page = html(client.get("/groups/safe"))

    assert "<strong>Bold</strong>" in page
    assert re.search(r'<a href="https://example.org"[^>]*>our site</a>', page)
    assert "alert(" not in page
    assert "javascript:" not in page
    assert "onerror" not in page
    assert inline_code(page) == []
    # The list shows the description as plain text, just as safely.
    card = html(client.fragment("/groups?q=bold"))
    assert "Bold words and our site." in card
    assert "alert(" not in card and "<strong>" not in card


def test_the_list_shows_public_groups_and_only_my_private_ones(app, client, auth, owner):
    with app.app_context():
        stranger = make_user()
        make_group(stranger, name="Open Air")
        make_group(stranger, name="Secret Society", visibility="private")
        make_group(owner, name="My Hideout", visibility="private")
        add_member(make_group(stranger, name="Their Den", visibility="private"), owner)
        add_member(
            make_group(stranger, name="Still Waiting", visibility="private"),
            owner,
            status="pending",
        )
        admin = make_user(is_site_admin=True)

    assert listed(client.get("/groups")) == ["Open Air"]
    assert listed(client.get("/groups?q=secret")) == []
    auth.login(owner.email)
    assert listed(client.get("/groups")) == ["My Hideout", "Open Air", "Their Den"]
    auth.logout()
    auth.login(admin.email)
    assert len(listed(client.get("/groups"))) == 5


def test_search_is_case_insensitive_on_name_and_description(app, client):
    with app.app_context():
        someone = make_user()
        make_group(someone, name="Chess Club", description="Weekly games")
        make_group(someone, name="Garden Friends", description="We grow **TOMATOES**")
        make_group(someone, name="Choir", description="50% singing")

    assert listed(client.get("/groups?q=cHESS")) == ["Chess Club"]
    assert listed(client.get("/groups?q=tomatoes")) == ["Garden Friends"]
    assert listed(client.get("/groups?q=%25")) == ["Choir"]
    nothing = client.get("/groups?q=knitting")
    assert listed(nothing) == []
    assert "No group matches “knitting”." in html(nothing)


def test_search_as_you_type_gets_only_the_results_fragment(app, client):
    with app.app_context():
        someone = make_user()
        make_group(someone, name="Chess Club")
        make_group(someone, name="Choir")

    page = client.get("/groups?q=chess")
    fragment = client.fragment("/groups?q=chess")

    assert 'id="group-search"' in html(page) and "<html" in html(page)
    assert fragment.status_code == 200
    assert html(fragment).lstrip().startswith('<div id="group-results"')
    assert "<html" not in html(fragment) and 'id="group-search"' not in html(fragment)
    assert listed(fragment) == ["Chess Club"]
    assert "HX-Request" in fragment.headers["Vary"]


def test_the_list_is_paginated(app, client):
    with app.app_context():
        someone = make_user()
        for number in range(1, 26):
            make_group(someone, name=f"Group {number:02}")

    first, second = client.get("/groups"), client.get("/groups?page=2")

    assert listed(first) == [f"Group {number:02}" for number in range(1, 21)]
    assert listed(second) == [f"Group {number:02}" for number in range(21, 26)]
    assert "Page 2 of 2" in html(second)
    assert 'href="/groups?page=1" rel="prev"' in html(second)


def test_my_groups_shows_only_my_own(app, client, auth, owner):
    with app.app_context():
        stranger = make_user()
        make_group(owner, name="Mine")
        add_member(make_group(stranger, name="Joined"), owner, role="organiser")
        add_member(make_group(stranger, name="Requested"), owner, status="pending")
        make_group(stranger, name="Not Mine")
    auth.login(owner.email)

    assert listed(client.get("/groups?scope=mine")) == ["Joined", "Mine"]
    assert listed(client.get("/groups?scope=mine&q=join")) == ["Joined"]


def test_a_renamed_address_redirects_permanently(app, client, logged_in):
    with app.app_context():
        make_group(logged_in, name="Runners", slug="runners")

    response = client.submit(
        "/groups/runners/manage/settings", group_form(name="Runners", slug="joggers")
    )

    assert response.status_code == 303
    assert response.location == "/groups/joggers/manage/settings"
    old = client.get("/groups/runners")
    assert old.status_code == 301
    assert old.location == "/groups/joggers"
    assert client.get("/groups/runners/manage/members").location == "/groups/joggers/manage/members"
    assert client.get("/groups/joggers").status_code == 200
    # The old address stays with the group: nobody else can take it.
    taken = client.submit("/groups/new", group_form(slug="runners"))
    assert taken.status_code == 422
    assert field_error(html(taken), "slug") == TAKEN


def test_a_deleted_group_is_gone_but_kept(app, client, logged_in):
    with app.app_context():
        group = make_group(logged_in, name="Short Lived", slug="short-lived")

    wrong = client.submit("/groups/short-lived/manage/delete", {"delete-confirm_name": "Short"})
    assert wrong.status_code == 422
    assert client.get("/groups/short-lived").status_code == 200

    response = client.submit(
        "/groups/short-lived/manage/delete", {"delete-confirm_name": "Short Lived"}
    )

    assert response.status_code == 303
    assert response.location == "/groups"
    assert client.get("/groups/short-lived").status_code == 404
    assert "Short Lived" not in listed(client.get("/groups"))
    assert "Short Lived" not in listed(client.get("/groups?scope=mine"))
    with app.app_context():
        kept = db.session.get(Group, group.id)
        assert kept is not None and kept.deleted_at is not None
