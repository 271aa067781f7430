"""Following an invitation: accept with an account, log in first, or sign up and verify."""

import threading
from datetime import timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.support.auth import (
    html,
    input_value,
    link_problem_reason,
    login_data,
    signup_data,
)
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Invitation, Membership

IVY = "ivy@example.org"
GROUP_PAGE = "/groups/book-club"


@pytest.fixture
def link(app, mailbox):
    """Book Club is private, by invitation; Omar, its organiser, invites Ivy as an organiser."""
    with app.app_context():
        olga = make_user(email="olga@example.org")
        omar = make_user(email="omar@example.org", first_name="Omar", last_name="Ortiz")
        group = make_group(
            olga, name="Book Club", slug="book-club", visibility="private", join_policy="invitation"
        )
        add_member(group, omar, "organiser")
    organiser = logged_in(app, "omar@example.org")
    data = {"email": IVY, "role": "organiser", "message": ""}
    assert organiser.submit(f"{GROUP_PAGE}/manage/invitations", data).status_code == 303
    return mailbox.link(IVY)


def logged_in(app, email):
    """A client of its own, logged in as email."""
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


def memberships(app, email=IVY):
    """(role, status) of every membership of the person at email."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Membership.role, Membership.status)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email)
        )
        return [tuple(row) for row in rows]


def text(response):
    return " ".join(html(response).split())


@pytest.fixture
def ivy(app):
    with app.app_context():
        return make_user(email=IVY, first_name="Ivy", last_name="Irwin").email


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_invitee_with_an_account_accepts_and_joins_with_the_invited_role(app, link, ivy, htmx):
    client = logged_in(app, IVY)
    page = client.get(link)
    assert page.status_code == 200
    assert "Omar Ortiz invited ivy@example.org to join as an organiser." in text(page)
    assert "Accept and join</button>" in html(page)

    response = client.submit(link, htmx=htmx)

    location = response.headers["HX-Redirect"] if htmx else response.location
    assert response.status_code == (204 if htmx else 303)
    assert location == GROUP_PAGE
    assert memberships(app) == [("organiser", "active")]
    assert "You are an organiser of this group." in html(client.get(GROUP_PAGE))
    history = text(client.get(f"{GROUP_PAGE}/manage/history"))
    assert "Ivy Irwin accepted an invitation <small>(organiser)</small>" in history


def test_the_link_works_once(app, link, ivy):
    client = logged_in(app, IVY)
    assert client.submit(link).status_code == 303

    for again in (client.get(link), client.submit(link)):
        assert again.status_code == 400
        assert link_problem_reason(again) == "used"
    assert memberships(app) == [("organiser", "active")]


@pytest.mark.parametrize("who", ["same person", "two people"])
def test_two_clients_accepting_at_once_use_the_link_once(app, link, ivy, who):
    with app.app_context():
        make_user(email="ian@example.org")
    clients = [
        logged_in(app, IVY),
        logged_in(app, IVY if who == "same person" else "ian@example.org"),
    ]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses = {}

    def accept(client, token):
        barrier.wait()
        statuses[id(client)] = client.post(link, headers={"X-CSRFToken": token}).status_code

    threads = [
        threading.Thread(target=accept, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ivys, others = (statuses[id(client)] for client in clients)
    if who == "same person":
        # One click joins, the other finds the link used.
        assert sorted([ivys, others]) == [303, 400]
    else:
        # Ivy joins; ian is refused either way: the invitation names ivy's address (403),
        # or, when ivy's click committed before his was read, the link is used (400).
        assert ivys == 303
        assert others in (400, 403)
    joined = memberships(app) + memberships(app, "ian@example.org")
    assert joined == [("organiser", "active")]


def test_an_anonymous_visitor_is_offered_to_sign_up_or_log_in(app, client, link):
    response = client.get(link)

    assert response.status_code == 200
    page = html(response)
    assert f'href="/signup?email={IVY}"' in page
    assert f'href="/login?next={link}"' in page
    assert "Accept and join</button>" not in page
    assert client.submit(link).status_code == 422
    assert memberships(app) == []


def test_an_invitee_logs_in_from_the_link_and_then_accepts(app, client, link, ivy):
    client.get(link)
    login_page = client.get(f"/login?next={quote(link, safe='')}")
    assert input_value(login_page, "email") == IVY

    response = client.submit("/login", login_data(IVY), query_string={"next": link})

    assert response.location == link
    assert client.submit(link).location == GROUP_PAGE
    assert memberships(app) == [("organiser", "active")]


def test_a_newcomer_signs_up_from_the_link_and_joins_once_verified(app, client, mailbox, link):
    client.get(link)
    signup = client.get(f"/signup?email={quote(IVY)}")
    assert signup.status_code == 200
    assert input_value(signup, "email") == IVY

    assert client.submit("/signup", signup_data(email=IVY, first_name="Ivy")).status_code == 303
    assert memberships(app) == []  # not before the address is proven
    verify = mailbox.link(IVY)
    assert verify.startswith("/verify/")
    # Confirmed in the browser that signed up: logged in, and on the group's page.
    assert client.submit(verify).location == GROUP_PAGE

    assert memberships(app) == [("organiser", "active")]
    group_page = client.get(GROUP_PAGE)
    assert group_page.status_code == 200
    assert "You are an organiser of this group." in html(group_page)
    with app.app_context():
        assert db.session.scalar(sa.select(Invitation.accepted_at)) is not None


@pytest.mark.parametrize("change", ["revoked", "expired"])
def test_verifying_does_not_join_through_a_dead_invitation(app, client, mailbox, link, change):
    dead = (
        {"revoked_at": utcnow()}
        if change == "revoked"
        else {"expires_at": utcnow() - timedelta(seconds=1)}
    )
    with app.app_context():
        db.session.execute(sa.update(Invitation).values(**dead))
        db.session.commit()

    client.submit("/signup", signup_data(email=IVY))
    assert client.submit(mailbox.link(IVY)).status_code == 303

    assert memberships(app) == []


def test_someone_else_holding_the_link_cannot_accept_it(app, link, ivy):
    with app.app_context():
        make_user(email="ian@example.org")
    client = logged_in(app, "ian@example.org")

    page = client.get(link)
    refused = client.submit(link)

    assert page.status_code == 200
    assert f"This invitation is for {IVY}" in " ".join(page.get_data(as_text=True).split())
    assert refused.status_code == 403
    assert memberships(app, "ian@example.org") == []
    # The link is not used up by the refusal: ivy still joins with it.
    assert logged_in(app, IVY).submit(link).status_code == 303
