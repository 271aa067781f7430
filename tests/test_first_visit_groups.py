"""Groups without stumbles: roles change on Save and owners are confirmed; leaving asks first;
the last owner is offered a transfer; search as you type replaces the URL and counts matches."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.groups.test_manage import role_url, selected_role, stored
from tests.groups.test_manage import team as team_fixture
from tests.support.auth import html

team = team_fixture  # Book Club: Olga owns it, Omar organises, Mina and Max are in, Pia asks


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_making_an_owner_asks_first_and_changes_nothing(app, client, auth, team, htmx):
    auth.login("olga@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "owner"}, htmx=htmx)

    assert response.status_code == 200
    assert stored(app, team.ids["mina"]) == ("member", "active")
    body = html(response)
    assert "Make Mina Moss an owner?" in body
    assert '<input type="hidden" name="confirm" value="yes">' in body
    assert f'action="{role_url(team, "mina")}"' in body
    if htmx:
        assert response.headers["HX-Retarget"] == "#confirm-dialog"
        assert body.lstrip().startswith('<article id="owner-confirm"')
    else:
        assert "<h1" in body and f'href="{team.manage}/members"' in body  # Cancel, without JS


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_confirmed_owner_is_made(app, client, auth, team, htmx):
    auth.login("olga@example.org")

    response = client.submit(role_url(team, "mina"), {"role": "owner", "confirm": "yes"}, htmx=htmx)

    assert response.status_code == (200 if htmx else 303)
    assert stored(app, team.ids["mina"]) == ("owner", "active")
    if htmx:
        assert selected_role(response) == "owner"


def test_other_roles_need_no_confirmation(app, client, auth, team):
    auth.login("olga@example.org")
    response = client.submit(role_url(team, "mina"), {"role": "organiser"}, htmx=True)
    assert response.status_code == 200
    assert stored(app, team.ids["mina"]) == ("organiser", "active")


def test_the_role_changes_only_on_an_explicit_save(client, auth, team):
    auth.login("olga@example.org")
    page = html(client.get(f"{team.manage}/members"))
    mina = team.ids["mina"]
    row = re.search(rf'<tr id="member-{mina}">.*?</tr>', page, re.S).group(0)

    assert 'hx-trigger="change"' not in row
    assert "<noscript>" not in row
    assert f'<select name="role" id="role-{mina}"' in row  # stable ids: htmx keeps the focus
    assert f'<button type="submit" id="role-save-{mina}"' in row


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_refused_change_shows_the_saved_role_again(app, client, auth, team, htmx):
    auth.login("olga@example.org")

    response = client.submit(role_url(team, "olga"), {"role": "member"}, htmx=htmx)

    assert response.status_code == 422
    assert stored(app, team.ids["olga"]) == ("owner", "active")
    row = re.search(rf'<tr id="member-{team.ids["olga"]}">.*?</tr>', html(response), re.S)
    assert re.search(r'<option value="owner" selected>', row.group(0))


@pytest.fixture
def groups(app):
    """Ola owns four groups, one of each kind; Nia is in all of them; Kai asks to join Choir."""
    with app.app_context():
        ola, nia = make_user(first_name="Ola"), make_user(first_name="Nia")
        kai = make_user(email="kai@example.org")
        made = {
            "open": make_group(ola, name="Open Walks"),
            "approval": make_group(ola, name="Choir", join_policy="approval"),
            "invitation": make_group(ola, name="Night Walkers", join_policy="invitation"),
            "private": make_group(ola, name="Quiet Room", visibility="private"),
        }
        for group in made.values():
            add_member(group, nia)
        add_member(made["approval"], kai, status="pending")
        return ola.email, nia.email, {kind: group.slug for kind, group in made.items()}


COMING_BACK = {
    "open": "You can join again whenever you like.",
    "approval": "Coming back means asking again and waiting for an organiser",
    "invitation": "coming back needs a new invitation from its organisers",
    "private": "once you leave, you no longer see it, and coming back needs a new invitation",
}


@pytest.mark.parametrize("kind", list(COMING_BACK))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_leaving_asks_first_and_says_what_coming_back_takes(client, auth, groups, kind, htmx):
    _, nia, slugs = groups
    auth.login(nia)
    panel = html(client.get(f"/groups/{slugs[kind]}"))
    assert f'action="/groups/{slugs[kind]}/leave"' in panel
    assert re.search(rf'<form method="get" action="/groups/{slugs[kind]}/leave"', panel)

    asked = (
        client.fragment(f"/groups/{slugs[kind]}/leave")
        if htmx
        else client.get(f"/groups/{slugs[kind]}/leave")
    )

    assert asked.status_code == 200
    assert COMING_BACK[kind].replace("'", "&#39;") in html(asked) or COMING_BACK[kind] in html(
        asked
    )
    assert "Leave the group</button>" in html(asked)
    assert html(asked).lstrip().startswith('<article id="leave-confirm"') is htmx
    assert "You are a member of this group." in html(client.get(f"/groups/{slugs[kind]}"))

    left = client.submit(f"/groups/{slugs[kind]}/leave")
    assert left.status_code == 303


def test_the_last_owner_is_offered_a_transfer_instead_of_leave(client, auth, groups):
    ola, _, slugs = groups
    auth.login(ola)

    page = html(client.get(f"/groups/{slugs['open']}"))
    asked = html(client.get(f"/groups/{slugs['open']}/leave"))

    transfer = f'href="/groups/{slugs["open"]}/manage/settings#transfer"'
    assert transfer in page and "Transfer ownership</a>" in page
    assert "Leave the group" not in page
    assert transfer in asked and "Leave the group</button>" not in asked
    settings = html(client.get(f"/groups/{slugs['open']}/manage/settings"))
    assert '<article id="transfer">' in settings


def test_a_pending_request_is_withdrawn_after_asking(client, auth, groups):
    _, _, slugs = groups
    auth.login("kai@example.org")

    asked = html(client.get(f"/groups/{slugs['approval']}/leave"))

    assert "Withdraw your request to join Choir?" in asked
    assert "Withdraw my request</button>" in asked


@pytest.mark.parametrize(
    ("url", "target", "query", "message"),
    [
        ("/groups", "group-results", "walk", "2 groups match"),
        ("/groups", "group-results", "choir", "1 group matches"),
        ("/groups", "group-results", "nothing-like-it", "0 groups match"),
    ],
)
def test_group_search_replaces_the_url_and_counts_matches(
    client, groups, url, target, query, message
):
    page = html(client.get(url))
    assert 'hx-replace-url="true"' in page and "hx-push-url" not in page
    status = re.search(
        rf'<p class="visually-hidden" role="status" data-status-for="{target}">', page
    )
    assert status
    # The status region sits outside the element that is swapped, so it is never replaced.
    assert page.index(status.group(0)) < page.index(f'<div id="{target}"')

    results = html(client.fragment(url, query_string={"q": query}))
    assert f'data-announce="{message}"' in results
    assert "aria-live" not in results.split("</div>")[0]


def test_member_search_counts_matches(client, auth, team):
    auth.login("olga@example.org")
    page = html(client.get(f"{team.manage}/members"))
    assert 'hx-replace-url="true"' in page
    assert 'data-status-for="members-table"' in page

    found = html(client.fragment(f"{team.manage}/members", query_string={"q": "moss"}))
    assert 'data-announce="1 member matches"' in found
    # Members, as the heading counts them; requests to join are listed apart.
    everyone = html(client.fragment(f"{team.manage}/members"))
    assert 'data-announce="4 members match"' in everyone
