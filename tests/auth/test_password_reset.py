"""Forgot password: the emailed link, its single use and expiry, and what a reset ends."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support.auth import (
    create_user,
    expire_links,
    field_error,
    find_user,
    html,
    is_logged_in,
    link_problem_reason,
    login_data,
    tampered,
    unknown_link,
)
from tests.support.html_checks import without_csrf_tokens

EMAIL = "member@example.org"
NEW_PASSWORD = "Brand-New-Hearth-77?"


@pytest.fixture
def member(app):
    return create_user(app, email=EMAIL)


@pytest.fixture
def link(client, mailbox, member):
    """The reset link emailed to the member after asking for one."""
    assert client.submit("/password/forgot", {"email": EMAIL}).status_code == 303
    return mailbox.link(EMAIL)


def reset(client, link, password=NEW_PASSWORD, confirm=None):
    return client.submit(link, {"password": password, "confirm": confirm or password})


def _reply(client, email):
    """What a visitor sees after asking for a reset for email, with the address blanked."""
    response = client.submit("/password/forgot", {"email": email})
    page = client.get(response.location)
    return (
        response.status_code,
        response.location,
        without_csrf_tokens(html(page)).replace(email, "EMAIL"),
    )


def test_forgot_password_replies_the_same_whether_or_not_the_address_has_an_account(client, member):
    known = _reply(client, EMAIL)
    unknown = _reply(client, "nobody@example.org")

    assert known == unknown
    assert known[:2] == (303, "/login")
    assert "a link to reset its password is on its way" in known[2]


@pytest.mark.parametrize(
    ("account", "mails"),
    [({}, 1), ({"verified": False}, 1), ({"active": False}, 0), (None, 0)],
    ids=["verified", "unverified", "deactivated", "no-account"],
)
def test_forgot_password_mails_a_link_only_to_an_active_account(
    app, client, mailbox, account, mails
):
    if account is not None:
        create_user(app, email=EMAIL, **account)

    client.submit("/password/forgot", {"email": "Member@Example.org"})

    messages = mailbox.messages(EMAIL)
    assert len(messages) == mails
    if mails:
        assert messages[0]["Subject"] == "Reset your Hearth password"
        assert mailbox.link(EMAIL).startswith("/password/reset/")


def test_the_reset_link_shows_a_form_then_sets_the_new_password(app, client, link):
    page = client.get(link)
    assert page.status_code == 200
    assert f'id="reset-password-form" method="post" action="{link}"' in html(page)

    response = reset(client, link)

    assert response.status_code == 303
    assert response.location == "/login"
    assert "Your password is changed" in html(client.get("/login"))
    assert client.submit("/login", login_data(EMAIL, DEFAULT_PASSWORD)).status_code == 422
    assert client.submit("/login", login_data(EMAIL, NEW_PASSWORD)).status_code == 303


def test_a_reset_tells_the_member_by_email(client, mailbox, link):
    reset(client, link)

    assert mailbox.last(EMAIL)["Subject"] == "Your Hearth password was changed"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_reset_link_works_once(client, link, method):
    reset(client, link)

    again = client.get(link) if method == "GET" else reset(client, link, "Another-One-88#")

    assert again.status_code == 400
    assert link_problem_reason(again) == "used"
    assert client.submit("/login", login_data(EMAIL, NEW_PASSWORD)).status_code == 303


@pytest.mark.parametrize("how", ["expired", "tampered", "unknown"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_broken_reset_link_gets_a_400_page_offering_a_new_one(app, client, link, how, method):
    if how == "expired":
        expire_links(app, "reset_password")
        broken = link
    else:
        broken = tampered(link) if how == "tampered" else unknown_link(app, "reset_password")

    response = client.get(broken) if method == "GET" else reset(client, broken)

    assert response.status_code == 400
    assert link_problem_reason(response) == how
    assert '<form method="post" action="/password/forgot">' in html(response)
    assert "Send a new reset link</button>" in html(response)
    assert client.submit("/login", login_data(EMAIL, DEFAULT_PASSWORD)).status_code == 303


BAD_NEW_PASSWORDS = [
    ({"password": "Ke-42!a"}, "password", "Use at least 8 characters."),
    ({"password": "Aa1!" + "x" * 125}, "password", "Use at most 128 characters."),
    ({"password": "brand-new-77?"}, "password", "an upper-case letter"),
    ({"password": "Brand-New-xx?"}, "password", "a digit"),
    ({"password": "BrandNewHe77"}, "password", "a special character"),
    ({"password": "P@ssw0rd1!"}, "password", "too common"),
    ({"password": ""}, "password", "Choose a password."),
    ({"confirm": "Brand-New-Hearth-78?"}, "confirm", "The two passwords do not match."),
]


@pytest.mark.parametrize(("typed", "field_id", "message"), BAD_NEW_PASSWORDS)
def test_a_bad_new_password_gets_422_and_leaves_the_link_usable(
    client, link, typed, field_id, message
):
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **typed}
    if "confirm" not in typed:
        data["confirm"] = data["password"]

    response = client.submit(link, data)

    assert response.status_code == 422
    assert message in field_error(response, field_id)
    assert client.submit("/login", login_data(EMAIL, DEFAULT_PASSWORD)).status_code == 303
    client.submit("/logout")
    assert reset(client, link).status_code == 303


def test_a_reset_ends_every_session_of_that_member(app, client, member, mailbox):
    phone, laptop = app.test_client(), app.test_client()
    phone.submit("/login", login_data(EMAIL))
    laptop.submit("/login", login_data(EMAIL, remember="y"))
    remember_copy = laptop.get_cookie("hearth_remember").value
    assert is_logged_in(phone) and is_logged_in(laptop)

    client.submit("/password/forgot", {"email": EMAIL})
    assert reset(client, mailbox.link(EMAIL)).status_code == 303

    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)
    replay = app.test_client()
    replay.set_cookie("hearth_remember", remember_copy)
    assert not is_logged_in(replay)


def test_a_reset_from_a_logged_in_browser_logs_it_out_too(client, member, mailbox):
    client.submit("/login", login_data(EMAIL))
    client.submit("/password/forgot", {"email": EMAIL})

    assert reset(client, mailbox.link(EMAIL)).status_code == 303

    assert not is_logged_in(client)


def test_following_a_reset_link_confirms_an_unverified_address(app, client, mailbox):
    create_user(app, email=EMAIL, verified=False)
    client.submit("/password/forgot", {"email": EMAIL})

    reset(client, mailbox.link(EMAIL))

    assert find_user(app, EMAIL).email_verified_at is not None
    assert client.submit("/login", login_data(EMAIL, NEW_PASSWORD)).status_code == 303
