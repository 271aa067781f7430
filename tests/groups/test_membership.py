"""Joining and leaving groups: open, approval and invitation-only; owners; private groups."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, loaded, make_group
from tests.support.auth import html
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Membership

LAST_OWNER = "You are the last owner. Make someone else an owner before leaving."


@pytest.fixture
def people(app):
    """An owner, an organiser and a newcomer, with one group of each join policy."""
    with app.app_context():
        owner, organiser, newcomer = make_user(), make_user(), make_user(first_name="Nia")
        groups = {
            policy: make_group(owner, name=f"{policy.title()} Group", join_policy=policy)
            for policy in ("open", "approval", "invitation")
        }
        for group in groups.values():
            add_member(group, organiser, role="organiser")
        loaded(owner, organiser, newcomer, *groups.values())
    return owner, organiser, newcomer, groups


def membership(app, group, user):
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership).where(
                Membership.group_id == group.id, Membership.user_id == user.id
            )
        )


def shows_flash(client, response, message):
    """The message the member sees on the page a redirect takes them to."""
    return message in html(client.get(response.location))


def test_joining_an_open_group_swaps_the_button_in_place(app, client, auth, people):
    _, _, newcomer, groups = people
    group = groups["open"]
    auth.login(newcomer.email)

    response = client.submit(f"/groups/{group.slug}/join", htmx=True)

    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert body.lstrip().startswith(f'<article id="membership-panel-{group.id}"')
    assert "Leave the group</button>" in body
    assert "<strong>3</strong> members" in body
    assert f"Welcome to {group.name}!" in body  # the flash rides along out of band
    assert membership(app, group, newcomer).status == "active"


def test_joining_without_javascript_goes_back_to_the_group_page(app, client, auth, people):
    _, _, newcomer, groups = people
    group = groups["open"]
    auth.login(newcomer.email)

    response = client.submit(f"/groups/{group.slug}/join")

    assert response.status_code == 303
    assert response.location == f"/groups/{group.slug}"
    page = html(client.get(response.location))
    assert f"Welcome to {group.name}!" in page
    assert "You are a member of this group." in page
    assert membership(app, group, newcomer).role == "member"


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_an_approval_group_takes_a_request_that_organisers_decide(
    app, client, auth, mailbox, people, decision
):
    _, organiser, newcomer, groups = people
    group = groups["approval"]
    auth.login(newcomer.email)

    asked = client.submit(f"/groups/{group.slug}/join", htmx=True)

    assert "Your request to join is waiting for the organisers." in html(asked)
    assert "Withdraw my request</button>" in html(asked)
    request = membership(app, group, newcomer)
    assert request.status == "pending"
    # Still not a member: the member count has not moved.
    assert "<strong>2</strong> members" in html(asked)

    auth.logout()
    auth.login(organiser.email)
    members_page = html(client.get(f"/groups/{group.slug}/manage/members"))
    assert f'id="request-{request.id}"' in members_page
    url = f"/groups/{group.slug}/manage/requests/{request.id}/{decision}"
    response = client.submit(url)

    assert response.status_code == 303
    assert response.location == f"/groups/{group.slug}/manage/members"
    decided = membership(app, group, newcomer)
    message = mailbox.last(newcomer.email)
    assert message["Subject"] == f"Your request to join {group.name}"
    if decision == "approve":
        assert decided.status == "active"
        assert "was approved" in mailbox.text(message)
        assert mailbox.link(newcomer.email) == f"/groups/{group.slug}"
    else:
        assert decided is None
        assert "was declined" in mailbox.text(message)


def test_a_request_is_decided_only_once(app, client, auth, mailbox, people):
    _, organiser, newcomer, groups = people
    group = groups["approval"]
    with app.app_context():
        request = add_member(group, newcomer, status="pending")
    auth.login(organiser.email)
    url = f"/groups/{group.slug}/manage/requests/{request.id}"

    client.submit(f"{url}/approve")
    again = client.submit(f"{url}/decline")

    assert shows_flash(client, again, "This request was already decided.")
    assert membership(app, group, newcomer).status == "active"
    assert len(mailbox.messages(newcomer.email)) == 1


def test_an_invitation_only_group_refuses_to_be_joined(app, client, auth, people):
    _, _, newcomer, groups = people
    group = groups["invitation"]
    auth.login(newcomer.email)

    assert "Joining is by invitation only." in html(client.get(f"/groups/{group.slug}"))
    response = client.submit(f"/groups/{group.slug}/join")

    assert shows_flash(client, response, "This group is by invitation only.")
    assert membership(app, group, newcomer) is None


def test_a_member_leaves(app, client, auth, people):
    _, _, newcomer, groups = people
    group = groups["open"]
    with app.app_context():
        add_member(group, newcomer)
    auth.login(newcomer.email)

    response = client.submit(f"/groups/{group.slug}/leave", htmx=True)

    assert response.status_code == 200
    assert html(response).lstrip().startswith(f'<article id="membership-panel-{group.id}"')
    assert "Join the group</button>" in html(response)
    assert f"You left {group.name}." in html(response)
    assert membership(app, group, newcomer) is None


def test_a_pending_request_can_be_withdrawn(app, client, auth, people):
    _, _, newcomer, groups = people
    group = groups["approval"]
    with app.app_context():
        add_member(group, newcomer, status="pending")
    auth.login(newcomer.email)

    response = client.submit(f"/groups/{group.slug}/leave")

    assert response.status_code == 303
    assert "Ask to join</button>" in html(client.get(response.location))
    assert membership(app, group, newcomer) is None


def test_the_last_owner_cannot_leave_until_there_is_another(app, client, auth, people):
    owner, _, newcomer, groups = people
    group = groups["open"]
    auth.login(owner.email)

    refused = client.submit(f"/groups/{group.slug}/leave")

    assert shows_flash(client, refused, LAST_OWNER)
    assert membership(app, group, owner).role == "owner"
    refused_htmx = client.submit(f"/groups/{group.slug}/leave", htmx=True)
    assert LAST_OWNER in html(refused_htmx)
    assert "Transfer ownership</a>" in html(refused_htmx)

    with app.app_context():
        add_member(group, newcomer, role="owner")
    left = client.submit(f"/groups/{group.slug}/leave")

    assert shows_flash(client, left, f"You left {group.name}.")
    assert membership(app, group, owner) is None


def test_a_private_group_is_not_found_by_outsiders(app, client, auth, people):
    owner, _, newcomer, _ = people
    with app.app_context():
        group = make_group(owner, name="Hidden", visibility="private")
        requester = make_user()
        add_member(group, requester, status="pending")

    for outsider in (newcomer, requester):
        auth.login(outsider.email)
        assert client.get(f"/groups/{group.slug}").status_code == 404
        assert client.submit(f"/groups/{group.slug}/join").status_code == 404
        assert client.submit(f"/groups/{group.slug}/leave").status_code == 404
        auth.logout()
    assert client.get(f"/groups/{group.slug}").status_code == 404
    assert membership(app, group, newcomer) is None
    assert membership(app, group, requester).status == "pending"


def test_leaving_a_private_group_goes_back_to_the_list(app, client, auth, people):
    owner, _, newcomer, _ = people
    with app.app_context():
        group = make_group(owner, name="Hidden", visibility="private")
        add_member(group, newcomer)
    auth.login(newcomer.email)

    response = client.submit(f"/groups/{group.slug}/leave")

    assert response.status_code == 303
    assert response.location == "/groups"
    assert client.get(f"/groups/{group.slug}").status_code == 404


def test_the_last_owner_of_a_private_group_stays_on_its_page_when_refused(app, client, auth):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, name="Hidden", visibility="private")
    auth.login(owner.email)

    refused = client.submit(f"/groups/{group.slug}/leave")

    assert refused.location == f"/groups/{group.slug}"
    assert shows_flash(client, refused, LAST_OWNER)
    refused_htmx = client.submit(f"/groups/{group.slug}/leave", htmx=True)
    assert refused_htmx.status_code == 200
    assert LAST_OWNER in html(refused_htmx) and "Transfer ownership</a>" in html(refused_htmx)


def test_organisers_who_want_email_hear_of_a_request_to_join(app, client, auth, mailbox, people):
    owner, organiser, newcomer, groups = people
    group = groups["approval"]
    with app.app_context():
        quiet = db.session.get(User, owner.id)
        quiet.email_notifications = False
        db.session.commit()
    auth.login(newcomer.email)

    client.submit(f"/groups/{group.slug}/join")

    message = mailbox.last(organiser.email)
    assert message["Subject"] == f"{newcomer.name} asked to join {group.name}"
    assert mailbox.link(organiser.email) == f"/groups/{group.slug}/manage/members"
    assert mailbox.messages(owner.email) == []
