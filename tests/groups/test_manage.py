"""Managing a group's members: the table and its search, inline roles, removal, requests."""

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.extensions import db
from webapp.groups.models import Membership

PEOPLE = {
    # key: (first name, last name, role, status)
    "olga": ("Olga", "Owens", "owner", "active"),
    "omar": ("Omar", "Ortiz", "organiser", "active"),
    "mina": ("Mina", "Moss", "member", "active"),
    "max": ("Max", "Mills", "member", "active"),
    "pia": ("Pia", "Park", "member", "pending"),
}
ONLY_OWNERS = "Only owners can change the role of organisers and owners, or make owners."


@pytest.fixture
def team(app):
    """Book Club: Olga owns it, Omar organises, Mina and Max are in, Pia asks to join."""
    with app.app_context():
        users = {
            key: make_user(email=f"{key}@example.org", first_name=first, last_name=last)
            for key, (first, last, _, _) in PEOPLE.items()
        }
        group = make_group(users["olga"], name="Book Club")
        ids = {
            "olga": db.session.scalar(
                sa.select(Membership.id).where(Membership.group_id == group.id)
            )
        }
        for key, (_, _, role, status) in PEOPLE.items():
            if key != "olga":
                ids[key] = add_member(group, users[key], role, status).id
        return SimpleNamespace(slug=group.slug, ids=ids, manage=f"/groups/{group.slug}/manage")


def stored(app, membership_id):
    """(role, status) of a membership as stored now, or None once it is gone."""
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        return (membership.role, membership.status) if membership else None


def role_url(team, key):
    return f"{team.manage}/members/{team.ids[key]}/role"


def selected_role(response):
    return re.search(r'<option value="(\w+)" selected>', html(response)).group(1)


def test_the_members_table_lists_members_and_pending_requests(client, auth, team):
    auth.login("omar@example.org")

    response = client.get(f"{team.manage}/members")

    assert response.status_code == 200
    page = html(response)
    assert "<html" in page
    assert 'id="members-table"' in page
    assert "Members (4)" in page
    for name in ("Olga Owens", "Omar Ortiz", "Mina Moss", "Max Mills"):
        assert name in page
    assert f'id="request-{team.ids["pia"]}"' in page
    assert f'id="member-{team.ids["pia"]}"' not in page


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("query", ["moss", "MINA@example", "mina m"])
def test_searching_members_by_name_or_email(client, auth, team, htmx, query):
    auth.login("omar@example.org")
    url = f"{team.manage}/members?q={query}"

    response = client.fragment(url) if htmx else client.get(url)

    assert response.status_code == 200
    assert "HX-Request" in response.vary
    body = html(response)
    assert body.lstrip().startswith('<div id="members-table">') is htmx
    assert "Mina Moss" in body
    assert "Max Mills" not in body
    assert "Members (1)" in body


def test_a_search_that_matches_nobody_says_so(client, auth, team):
    auth.login("olga@example.org")

    response = client.fragment(f"{team.manage}/members?q=zebra")

    assert response.status_code == 200
    assert "Nobody matches “zebra”." in html(response)


def test_a_role_changes_inline_and_htmx_gets_the_row_back(app, client, auth, team):
    auth.login("omar@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "organiser"}, htmx=True)

    assert response.status_code == 200
    row = html(response)
    assert row.lstrip().startswith(f'<tr id="member-{team.ids["mina"]}">')
    assert selected_role(response) == "organiser"
    assert "Mina Moss is now organiser." in row
    assert stored(app, team.ids["mina"]) == ("organiser", "active")


def test_a_role_change_without_javascript_redirects_to_the_table(app, client, auth, team):
    auth.login("omar@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "organiser"})

    assert response.status_code == 303
    assert response.location == f"{team.manage}/members"
    assert "Mina Moss is now organiser." in html(client.get(response.location))
    assert stored(app, team.ids["mina"]) == ("organiser", "active")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("subject", "role"), [("mina", "owner"), ("olga", "member"), ("olga", "organiser")]
)
def test_only_owners_make_or_unmake_owners(app, client, auth, team, subject, role, htmx):
    auth.login("omar@example.org")
    before = stored(app, team.ids[subject])

    response = client.submit(role_url(team, subject), {"role": role}, htmx=htmx)

    assert response.status_code == 422
    assert ONLY_OWNERS in html(response)
    assert stored(app, team.ids[subject]) == before


def test_an_owner_makes_another_owner_who_can_then_demote_the_first(app, client, auth, team):
    auth.login("olga@example.org")
    made = client.submit(role_url(team, "mina"), {"role": "owner", "confirm": "yes"}, htmx=True)
    assert made.status_code == 200
    auth.logout()
    auth.login("mina@example.org")

    response = client.submit(role_url(team, "olga"), {"role": "organiser"}, htmx=True)

    assert response.status_code == 200
    assert stored(app, team.ids["olga"]) == ("organiser", "active")
    assert stored(app, team.ids["mina"]) == ("owner", "active")


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_last_owner_cannot_be_demoted(app, client, auth, team, htmx):
    auth.login("olga@example.org")

    response = client.submit(role_url(team, "olga"), {"role": "organiser"}, htmx=htmx)

    assert response.status_code == 422
    assert "A group needs at least one owner." in html(response)
    assert stored(app, team.ids["olga"]) == ("owner", "active")


def test_an_unknown_role_is_refused(app, client, auth, team):
    auth.login("olga@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "king"}, htmx=True)

    assert response.status_code == 422
    assert "Choose a valid role." in html(response)
    assert stored(app, team.ids["mina"]) == ("member", "active")


def test_members_cannot_change_roles(app, client, auth, team):
    auth.login("max@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "organiser"})

    assert response.status_code == 403
    assert stored(app, team.ids["mina"]) == ("member", "active")


def test_removing_asks_for_confirmation_first(app, client, auth, team):
    auth.login("omar@example.org")
    url = f"{team.manage}/members/{team.ids['max']}/remove"

    confirm = client.get(url)

    assert confirm.status_code == 200
    assert "Remove Max Mills?" in html(confirm)
    assert f'<form id="remove-form" method="post" action="{url}">' in html(confirm)
    assert stored(app, team.ids["max"]) == ("member", "active")

    response = client.submit(url)

    assert response.status_code == 303
    assert response.location == f"{team.manage}/members"
    assert "Max Mills is no longer a member." in html(client.get(response.location))
    assert stored(app, team.ids["max"]) is None


@pytest.mark.parametrize("subject", ["olga", "omar"])
def test_organisers_cannot_remove_organisers_or_owners(app, client, auth, team, subject):
    auth.login("omar@example.org")

    response = client.submit(f"{team.manage}/members/{team.ids[subject]}/remove")

    assert response.status_code == 303
    assert "Only owners can remove organisers and owners." in html(client.get(response.location))
    assert stored(app, team.ids[subject]) == PEOPLE[subject][2:]


def test_an_owner_removes_an_organiser_but_not_the_last_owner(app, client, auth, team):
    auth.login("olga@example.org")

    removed = client.submit(f"{team.manage}/members/{team.ids['omar']}/remove", htmx=True)
    refused = client.submit(f"{team.manage}/members/{team.ids['olga']}/remove")

    assert removed.status_code == 204
    assert removed.headers["HX-Redirect"] == f"{team.manage}/members"
    assert stored(app, team.ids["omar"]) is None
    assert "A group needs at least one owner." in html(client.get(refused.location))
    assert stored(app, team.ids["olga"]) == ("owner", "active")


@pytest.mark.parametrize(
    ("decision", "after"), [("approve", ("member", "active")), ("decline", None)]
)
def test_organisers_decide_requests_and_the_requester_is_emailed(
    app, client, auth, mailbox, team, decision, after
):
    auth.login("omar@example.org")
    url = f"{team.manage}/requests/{team.ids['pia']}/{decision}"

    response = client.submit(url)

    assert response.status_code == 303
    assert f"Pia Park: request {decision}d." in html(client.get(response.location))
    assert stored(app, team.ids["pia"]) == after
    message = mailbox.last("pia@example.org")
    assert message["Subject"] == "Your request to join Book Club"
    if after:  # deciding again is refused
        client.submit(url)
        assert "This request was already decided." in html(client.get(response.location))
