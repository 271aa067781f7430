"""Per-user limits on everything that mails other people: inviting, resending an
invitation, asking to join, changing one's email address. Counted per logged-in user,
whatever client they post from, and shared between web processes through Redis."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.auth.test_protections import assert_too_many
from tests.groups.factories import add_member, make_group, make_invitation
from tests.support.auth import html, login_data
from tests.support.other_apps import app_like
from webapp.extensions import db
from webapp.groups.models import Group

OWNER = "olga@example.org"
OTHER_CLIENT = {"REMOTE_ADDR": "10.0.0.2"}


def logged_in(app, email, **kwargs):
    client = app.test_client()
    response = client.submit("/login", login_data(email), **kwargs)
    assert response.status_code == 303
    return client


@pytest.fixture
def club(app):
    """Olga owns Book Club; a second owner, Oscar, manages it too."""
    with app.app_context():
        olga = make_user(email=OWNER, first_name="Olga")
        oscar = make_user(email="oscar@example.org", first_name="Oscar")
        group = make_group(olga, name="Book Club", slug="book-club")
        add_member(group, oscar, "owner")
    return "/groups/book-club/manage/invitations"


def invite(client, url, number, htmx=False, **kwargs):
    data = {"email": f"spam{number}@example.net", "role": "member", "message": "Buy now!"}
    return client.submit(url, data, htmx=htmx, **kwargs)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_inviting_is_limited_per_user(app, club, mailbox, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "RATE_LIMIT_INVITE", "3 per minute")
    olga = logged_in(app, OWNER)

    statuses = [invite(olga, club, number, htmx=htmx).status_code for number in range(3)]
    refused = invite(olga, club, 3, htmx=htmx)

    assert 429 not in statuses
    assert_too_many(refused)
    assert ("<html" in html(refused)) is not htmx
    assert len(mailbox.messages()) == 3
    assert olga.get(club).status_code == 200  # only posts are counted


def test_a_user_limit_follows_the_user_to_another_client(app, club, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_INVITE", "2 per minute")
    first = logged_in(app, OWNER)
    second = logged_in(app, OWNER, environ_base=OTHER_CLIENT)

    invite(first, club, 0)
    invite(second, club, 1, environ_base=OTHER_CLIENT)

    assert_too_many(invite(second, club, 2, environ_base=OTHER_CLIENT))
    # Another organiser of the same group has a budget of their own.
    oscar = logged_in(app, "oscar@example.org")
    assert invite(oscar, club, 3).status_code == 303
    assert len(mailbox.messages()) == 3


def test_resending_draws_on_the_invitation_budget_and_revoking_does_not(
    app, club, mailbox, monkeypatch
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_INVITE", "3 per minute")
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == "book-club"))
        pending = [make_invitation(group, f"guest{n}@example.net")[0].id for n in range(4)]
    olga = logged_in(app, OWNER)

    assert invite(olga, club, 0).status_code == 303
    for invitation_id in pending[:2]:
        # resend refuses a just-sent invitation or sends it: either way it is counted.
        assert olga.submit(f"{club}/{invitation_id}/resend").status_code != 429
    assert_too_many(olga.submit(f"{club}/{pending[2]}/resend"))
    assert_too_many(invite(olga, club, 1))
    # Taking back spam must stay possible when the budget is spent.
    assert olga.submit(f"{club}/{pending[3]}/revoke").status_code == 303


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_asking_to_join_is_limited_per_user(app, mailbox, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "RATE_LIMIT_JOIN", "2 per minute")
    with app.app_context():
        owner = make_user(email=OWNER)
        make_user(email="joiner@example.org")
        slugs = [
            make_group(owner, slug=f"circle-{n}", join_policy="approval").slug for n in range(3)
        ]
    joiner = logged_in(app, "joiner@example.org")

    for slug in slugs[:2]:
        assert joiner.submit(f"/groups/{slug}/join", htmx=htmx).status_code != 429
    refused = joiner.submit(f"/groups/{slugs[2]}/join", htmx=htmx)

    assert_too_many(refused)
    assert ("<html" in html(refused)) is not htmx
    # Each request mailed the owner; the refused one did not.
    assert len(mailbox.messages(OWNER)) == 2


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_changing_the_email_address_is_limited_per_user(app, mailbox, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "RATE_LIMIT_EMAIL_CHANGE", "2 per minute")
    with app.app_context():
        make_user(email="ada@example.org")
    ada = logged_in(app, "ada@example.org")

    def change(number):
        data = {
            "email-email": f"victim{number}@example.net",
            "email-current_password": DEFAULT_PASSWORD,
        }
        return ada.submit("/settings/email", data, htmx=htmx)

    assert [change(n).status_code for n in range(2)] == [200 if htmx else 303] * 2
    refused = change(2)

    assert_too_many(refused)
    assert ("<html" in html(refused)) is not htmx
    assert len(mailbox.messages()) == 2
    assert ada.get("/settings").status_code == 200


@pytest.mark.redis
def test_two_web_processes_share_one_user_budget_through_redis(app, club, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_INVITE", "2 per minute")
    with app_like(app, RATE_LIMIT_INVITE="2 per minute") as other_process:
        first = logged_in(app, OWNER)
        second = logged_in(other_process, OWNER)
        statuses = [
            invite(client, club, number).status_code
            for number, client in enumerate((first, second, first))
        ]
    assert statuses == [303, 303, 429]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_starting_groups_is_limited_per_user(app, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CONTENT", "2 per minute")
    with app.app_context():
        make_user(email="gil@example.org")
    gil = logged_in(app, "gil@example.org")

    def start(number):
        data = {
            "name": f"Spam {number}",
            "slug": f"spam-{number}",
            "description": "",
            "visibility": "public",
            "join_policy": "open",
        }
        return gil.submit("/groups/new", data, htmx=htmx)

    assert [start(n).status_code for n in range(2)] == [204 if htmx else 303] * 2
    refused = start(2)

    assert_too_many(refused)
    assert ("<html" in html(refused)) is not htmx
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 2
