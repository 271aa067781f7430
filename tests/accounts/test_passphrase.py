"""A long passphrase of plain words is a password (NIST SP 800-63B): at 15 characters or
more, one the strength estimate rates strong needs no capitals, digits or symbols, at
sign-up, at a reset and at a change in Settings alike. Short passwords keep the rules."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support.auth import field_error, html, login_data, signup_data
from tests.support.members import new_member
from webapp.accounts.passwords import password_problems

PASSPHRASE = "purple elephants dance quietly at dawn"
# Long enough, but a word said twice: an estimate finds it quickly.
WEAK_PASSPHRASE = "password password"
# Long enough, but a walk along the keyboard.
KEYBOARD_WALK = "qwertyuiopasdfgh"


def test_a_strong_passphrase_signs_up_verifies_and_logs_in(app, client, mailbox):
    response = client.submit("/signup", signup_data(email="ann@example.org", password=PASSPHRASE))

    assert response.status_code == 303
    link = mailbox.link("ann@example.org")
    assert client.get(link).status_code == 200
    assert client.submit(link).status_code == 303
    assert client.submit("/logout", {}).status_code in (302, 303)
    assert client.submit("/login", login_data("ann@example.org", PASSPHRASE)).status_code == 303
    assert client.get("/settings").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (WEAK_PASSPHRASE, "or choose a passphrase that is harder to guess."),
        (KEYBOARD_WALK, "or choose a passphrase that is harder to guess."),
        # Under 15 characters the composition rules stand, however strong the words.
        ("quiet red kite", "Include an upper-case letter and a digit."),
    ],
    ids=["said-twice", "keyboard-walk", "short"],
)
def test_a_weak_or_short_passphrase_is_refused_beside_the_field(app, client, password, message):
    response = client.submit("/signup", signup_data(email="ann@example.org", password=password))

    assert response.status_code == 422
    assert message in field_error(response, "password")


def test_the_hint_under_the_password_says_a_passphrase_will_do(client):
    assert "or a passphrase of 15 characters or more" in html(client.get("/signup"))


def test_a_passphrase_is_accepted_by_a_reset_and_by_a_change_in_settings(app, client, mailbox):
    member = new_member(app, email="rex@example.org")
    assert client.submit("/password/forgot", {"email": member.email}).status_code == 303
    link = mailbox.link(member.email)
    reset = client.submit(link, {"password": PASSPHRASE, "confirm": PASSPHRASE})
    assert reset.status_code == 303
    assert client.submit("/login", login_data(member.email, PASSPHRASE)).status_code == 303

    another = "copper lanterns hum beneath winter rivers"
    change = {
        "password-current_password": PASSPHRASE,
        "password-password": another,
        "password-confirm": another,
    }
    assert client.submit("/settings/password", change).status_code == 303
    assert client.submit("/logout", {}).status_code in (302, 303)
    assert client.submit("/login", login_data(member.email, another)).status_code == 303


def test_short_passwords_keep_every_rule_and_the_common_list():
    assert password_problems(DEFAULT_PASSWORD) == []
    assert password_problems("Qwerty123!") == ["This password is too common or too easy to guess."]
    assert password_problems("abcdefgh") == [
        "Include an upper-case letter, a digit and a special character such as ! or #."
    ]
