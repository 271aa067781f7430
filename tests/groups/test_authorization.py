"""Who may do what: every groups route x every kind of person -> status, public and private.

The harness is tests/support/authz.py: a new route without a row here fails
test_every_route_has_a_row, and a refused request must leave every table as it was.
"login" means the visitor is sent to the login page. Private groups answer 404 to
outsiders and pending requesters: even their existence is private. The invitation link
is the exception: anyone holding it sees the invitation, but only the invited address
can accept it.
"""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group, make_invitation
from tests.support.authz import assert_shared_cell, assert_table_covers, cases

GROUP_NAME = "Lantern Makers"

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin. The co-host co-hosts one
# of the group's events, and is a member of the group for everything of the group's.
EVERYONE = "200 200 200 200 200 200 200 200"
LOGGED_IN_PAGE = "login 200 200 200 200 200 200 200"
LOGGED_IN_ACTION = "login 303 303 303 303 303 303 303"
MANAGE_PAGE = ("login 403 403 403 403 200 200 200", "login 404 404 403 403 200 200 200")
MANAGE_ACTION = ("login 403 403 403 403 303 303 303", "login 404 404 403 403 303 303 303")
OWNER_ACTION = ("login 403 403 403 403 403 303 303", "login 404 404 403 403 403 303 303")

# (endpoint, method): (statuses for a public group, statuses for a private group)
TABLE = {
    ("groups.index", "GET"): (EVERYONE, EVERYONE),
    ("groups.new", "GET"): (LOGGED_IN_PAGE, LOGGED_IN_PAGE),
    ("groups.new", "POST"): (LOGGED_IN_ACTION, LOGGED_IN_ACTION),
    ("groups.detail", "GET"): (EVERYONE, "404 404 404 200 200 200 200 200"),
    ("groups.join", "POST"): (LOGGED_IN_ACTION, "login 404 404 303 303 303 303 303"),
    ("groups.leave", "GET"): (LOGGED_IN_PAGE, "login 404 404 200 200 200 200 200"),
    ("groups.leave", "POST"): (LOGGED_IN_ACTION, "login 404 404 303 303 303 303 303"),
    ("groups.manage.members", "GET"): MANAGE_PAGE,
    ("groups.manage.set_role", "POST"): MANAGE_ACTION,
    ("groups.manage.remove", "GET"): MANAGE_PAGE,
    ("groups.manage.remove", "POST"): MANAGE_ACTION,
    ("groups.manage.decide", "POST"): MANAGE_ACTION,
    ("groups.manage.settings", "GET"): MANAGE_PAGE,
    ("groups.manage.settings", "POST"): MANAGE_ACTION,
    ("groups.manage.transfer", "POST"): OWNER_ACTION,
    ("groups.manage.delete", "POST"): OWNER_ACTION,
    ("groups.manage.history", "GET"): MANAGE_PAGE,
    ("groups.manage.invitations", "GET"): MANAGE_PAGE,
    ("groups.manage.invitations", "POST"): MANAGE_ACTION,
    ("groups.manage.change_invitation", "POST"): MANAGE_ACTION,
    ("groups.invitation", "GET"): (EVERYONE, EVERYONE),
    # A visitor cannot accept: the page comes back (422) offering to sign up or log in.
    # The invitation is for guest@example.org, whom none of these people are.
    ("groups.invitation", "POST"): ("422 403 403 403 403 403 403 403",) * 2,
}


class World(NamedTuple):
    """One group with someone in every role, a member to act on, a request and an invitation."""

    slug: str
    visibility: str
    member_id: int
    request_id: int
    invitation_id: int
    invitation_path: str


def build_world(visibility):
    owner = make_user()
    group = make_group(owner, name=GROUP_NAME, visibility=visibility, join_policy="open")
    member = add_member(group, make_user())
    request = add_member(group, make_user(), status="pending")
    invitation, path = make_invitation(group, "guest@example.org", inviter=owner)
    return owner, group, World(group.slug, visibility, member.id, request.id, invitation.id, path)


def group_settings(world):
    return {
        "name": GROUP_NAME,
        "slug": world.slug,
        "description": "Paper and light.",
        "visibility": world.visibility,
        "join_policy": "approval",
    }


# What each route is sent: a well-formed request, so a refusal can only be about who asks.
REQUESTS = {
    ("groups.index", "GET"): lambda w: ("/groups", None),
    ("groups.new", "GET"): lambda w: ("/groups/new", None),
    ("groups.new", "POST"): lambda w: ("/groups/new", {"name": "Fresh Start"}),
    ("groups.detail", "GET"): lambda w: (f"/groups/{w.slug}", None),
    ("groups.join", "POST"): lambda w: (f"/groups/{w.slug}/join", {}),
    ("groups.leave", "GET"): lambda w: (f"/groups/{w.slug}/leave", None),
    ("groups.leave", "POST"): lambda w: (f"/groups/{w.slug}/leave", {}),
    ("groups.manage.members", "GET"): lambda w: (f"/groups/{w.slug}/manage/members", None),
    ("groups.manage.set_role", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/members/{w.member_id}/role",
        {"role": "organiser"},
    ),
    ("groups.manage.remove", "GET"): lambda w: (
        f"/groups/{w.slug}/manage/members/{w.member_id}/remove",
        None,
    ),
    ("groups.manage.remove", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/members/{w.member_id}/remove",
        {},
    ),
    ("groups.manage.decide", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/requests/{w.request_id}/approve",
        {},
    ),
    ("groups.manage.settings", "GET"): lambda w: (f"/groups/{w.slug}/manage/settings", None),
    ("groups.manage.settings", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/settings",
        group_settings(w),
    ),
    ("groups.manage.transfer", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/transfer",
        {"transfer-new_owner": str(w.member_id)},
    ),
    ("groups.manage.delete", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/delete",
        {"delete-confirm_name": GROUP_NAME},
    ),
    ("groups.manage.history", "GET"): lambda w: (f"/groups/{w.slug}/manage/history", None),
    ("groups.manage.invitations", "GET"): lambda w: (f"/groups/{w.slug}/manage/invitations", None),
    ("groups.manage.invitations", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/invitations",
        {"email": "newcomer@example.org", "role": "member", "message": "Come along"},
    ),
    ("groups.manage.change_invitation", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/invitations/{w.invitation_id}/revoke",
        {},
    ),
    ("groups.invitation", "GET"): lambda w: (w.invitation_path, None),
    ("groups.invitation", "POST"): lambda w: (w.invitation_path, {}),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, "groups.", TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "visibility", "role", "expected"),
    list(cases(TABLE, ("public", "private"), "groups.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, visibility, role, expected):
    assert_shared_cell(
        app,
        client,
        shared_world,
        build_world,
        REQUESTS,
        endpoint,
        method,
        visibility,
        role,
        expected,
    )


def test_one_groups_organiser_cannot_reach_another_groups_members(app, client, auth):
    with app.app_context():
        mine = make_group(make_user(), name="Mine")
        organiser = make_user()
        add_member(mine, organiser, role="organiser")
        base = f"/groups/{mine.slug}/manage"
        email = organiser.email
        _, _, theirs = build_world("public")
    auth.login(email)

    for url, data in [
        (f"{base}/members/{theirs.member_id}/role", {"role": "organiser"}),
        (f"{base}/members/{theirs.member_id}/remove", {}),
        (f"{base}/requests/{theirs.request_id}/approve", {}),
        (f"{base}/invitations/{theirs.invitation_id}/revoke", {}),
    ]:
        assert client.submit(url, data).status_code == 404, url
    assert client.get(f"{base}/members/{theirs.member_id}/remove").status_code == 404


def test_a_state_change_without_a_csrf_token_is_refused(app, client, auth):
    with app.app_context():
        email = make_user().email
        group = make_group(make_user())
    auth.login(email)

    response = client.submit(f"/groups/{group.slug}/join", csrf=False)

    assert response.status_code == 400
    assert "Join the group</button>" in client.get(f"/groups/{group.slug}").get_data(as_text=True)
