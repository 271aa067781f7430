"""Settings: changing the password, which ends the account's other sessions."""

import re

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import Auth
from tests.support.html_checks import field_error
from tests.support.members import new_member, stored

NEW_PASSWORD = "Lantern-Harbour-77?"


@pytest.fixture
def logged_in(app, auth):
    member = new_member(app, first_name="Ada")
    assert auth.login(member.email).status_code == 303
    return member


def password_data(current=DEFAULT_PASSWORD, new=NEW_PASSWORD, confirm=None):
    return {
        "password-current_password": current,
        "password-password": new,
        "password-confirm": new if confirm is None else confirm,
    }


def logged_in_client(app, email, password=DEFAULT_PASSWORD):
    other = app.test_client()
    assert Auth(other).login(email, password).status_code == 303
    return other


def is_logged_in(client):
    return client.get("/settings").status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            password_data(current="Not-My-Password-1!"),
            "current_password",
            "The current password is incorrect.",
        ),
        (password_data(current=""), "current_password", "Enter your current password."),
        (password_data(new="Ab1!"), "password", "Use at least 8 characters."),
        (password_data(new="Abcdefgh12"), "password", "Include a special character"),
        (password_data(new="lantern-7?ab"), "password", "Include an upper-case letter."),
        (password_data(new="Password1!"), "password", "too common or too easy to guess"),
        (password_data(new="Aa1!" + "x" * 130), "password", "Use at most 128 characters."),
        (password_data(new=""), "password", "Choose a password."),
        (password_data(confirm="Lantern-Harbour-78?"), "confirm", "do not match"),
    ],
    ids=[
        "wrong-current",
        "no-current",
        "short",
        "no-special",
        "no-upper",
        "common",
        "too-long",
        "empty",
        "mismatch",
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_bad_password_change_is_422_next_to_the_field_and_keeps_the_old_password(
    app, client, logged_in, mailbox, data, field, message, htmx
):
    hash_before = stored(app, logged_in.id).password_hash
    response = client.submit("/settings/password", data, htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<html" in html) is not htmx
    assert message in field_error(html, f"password-{field}")
    assert stored(app, logged_in.id).password_hash == hash_before
    assert is_logged_in(client)
    assert mailbox.messages(logged_in.email) == []


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, logged_in):
    phone = logged_in_client(app, logged_in.email)
    assert is_logged_in(phone)

    response = client.submit("/settings/password", password_data())

    assert response.status_code == 303
    assert response.location == "/settings#password"
    settings = client.get(response.location)
    assert settings.status_code == 200
    assert "Other devices are logged out." in settings.get_data(as_text=True)
    assert not is_logged_in(phone)
    assert phone.get("/settings").location.startswith("/login")


def test_after_a_password_change_only_the_new_password_logs_in(app, client, logged_in):
    client.submit("/settings/password", password_data())

    old = Auth(app.test_client()).login(logged_in.email, DEFAULT_PASSWORD)
    assert old.status_code == 422
    assert "The email address or password is incorrect." in old.get_data(as_text=True)
    assert Auth(app.test_client()).login(logged_in.email, NEW_PASSWORD).status_code == 303


def test_password_change_emails_the_account_owner(client, logged_in, mailbox):
    client.submit("/settings/password", password_data())

    [message] = mailbox.messages(logged_in.email)
    assert message["Subject"] == "Your Hearth password was changed"
    assert "other devices were logged out" in mailbox.text(message)
    assert NEW_PASSWORD not in message.as_string()


def test_htmx_password_change_returns_an_empty_section_with_the_news(client, logged_in):
    response = client.submit("/settings/password", password_data(), htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="password-form"' in html
    assert NEW_PASSWORD not in html
    assert DEFAULT_PASSWORD not in html
    assert "Your password is changed." in html
    assert is_logged_in(client)


def test_password_change_without_csrf_token_is_refused(app, client, logged_in):
    hash_before = stored(app, logged_in.id).password_hash
    response = client.submit("/settings/password", password_data(), csrf=False)
    assert response.status_code == 400
    assert stored(app, logged_in.id).password_hash == hash_before


def test_replayed_cookie_of_an_ended_session_stays_logged_out(app, client, logged_in):
    phone = logged_in_client(app, logged_in.email)
    cookie = phone.get_cookie("hearth_session")
    client.submit("/settings/password", password_data())

    replay = app.test_client()
    replay.set_cookie(cookie.key, cookie.value)
    assert not is_logged_in(replay)


def test_a_refused_password_change_leaves_the_profile_section_as_saved(client, logged_in):
    # The whole page comes back with the 422; the other sections must show stored values,
    # not values read from a form that was never theirs.
    response = client.submit("/settings/password", password_data(current="Wrong-Password-1!"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    toggle = re.search(r"<input[^>]*id=\"profile-email_notifications\"[^>]*>", page)
    assert " checked" in toggle.group(0)
