"""Signing up: the rules of the form, the stored account and the verification email."""

import re

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support.auth import (
    LONG_PASSWORD,
    create_user,
    field_error,
    find_user,
    html,
    input_tag,
    input_value,
    is_logged_in,
    login_data,
    signup_data,
)


def test_signup_redirects_to_check_your_inbox_and_stores_an_unverified_user(app, client):
    response = client.submit("/signup", signup_data(email="Ann@Example.org"))

    assert response.status_code == 303
    assert response.location == "/signup/check-your-inbox"
    user = find_user(app, "ann@example.org")
    assert (user.email, user.first_name, user.last_name) == ("Ann@example.org", "Ann", "Lee")
    assert user.email_verified_at is None
    assert DEFAULT_PASSWORD not in user.password_hash
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Ann@example.org" in html(page)
    assert 'id="resend-form"' in html(page)


def test_signup_emails_a_verification_link_as_text_and_html(client, mailbox):
    client.submit("/signup", signup_data())

    message = mailbox.last("ann@example.org")
    assert message["Subject"] == "Confirm your email address"
    link = mailbox.link("ann@example.org")
    assert re.fullmatch(r"/verify/[\w.-]+", link)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html_body = message.get_body(preferencelist=("html",)).get_content()
    assert "Hello Ann" in text
    assert f'href="http://localhost{link}"' in html_body


def test_signup_does_not_log_the_new_user_in(client):
    client.submit("/signup", signup_data())

    assert not is_logged_in(client)


TOO_LONG = "Aa1!" + "x" * 125

BAD_SIGNUPS = [
    # (what is typed, the field that says so, part of what it says)
    ({"email": "not-an-email"}, "email", "Enter a valid email address"),
    ({"email": "ann@"}, "email", "Enter a valid email address"),
    ({"email": ""}, "email", "Enter your email address."),
    ({"first_name": ""}, "first_name", "Enter your first name."),
    ({"first_name": "   "}, "first_name", "Enter your first name."),
    ({"last_name": ""}, "last_name", "Enter your last name."),
    ({"last_name": "L" * 101}, "last_name", "longer than 100 characters"),
    ({"password": "Ke-42!a"}, "password", "Use at least 8 characters."),
    ({"password": TOO_LONG}, "password", "Use at most 128 characters."),
    ({"password": "hearth-ket-42!"}, "password", "an upper-case letter"),
    ({"password": "HEARTH-KET-42!"}, "password", "a lower-case letter"),
    ({"password": "Hearth-Ket-xx!"}, "password", "a digit"),
    ({"password": "HearthKettle42"}, "password", "a special character"),
    ({"password": "P@ssw0rd1!"}, "password", "too common or too easy to guess"),
    ({"password": "Qwerty123!"}, "password", "too common or too easy to guess"),
    ({"confirm": "Hearth-Kettle-43!"}, "confirm", "The two passwords do not match."),
    ({"confirm": ""}, "confirm", "Type the password again."),
]


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    BAD_SIGNUPS,
    ids=[f"{field}:{message[:30]}" for _, field, message in BAD_SIGNUPS],
)
def test_bad_signup_input_gets_422_with_the_message_next_to_its_field(
    app, client, mailbox, overrides, field_id, message
):
    response = client.submit("/signup", signup_data(**overrides))

    assert response.status_code == 422
    assert message in (field_error(response, field_id) or "")
    assert 'aria-invalid="true"' in input_tag(response, field_id)
    other_fields = {"email", "first_name", "last_name", "password", "confirm"} - {field_id}
    assert all(field_error(response, other) is None for other in other_fields)
    assert find_user(app, "ann@example.org") is None
    assert mailbox.messages() == []


def test_signup_without_a_password_asks_for_it_and_its_confirmation(client):
    response = client.submit("/signup", signup_data(password="", confirm=""))

    assert response.status_code == 422
    assert field_error(response, "password") == "Choose a password."
    assert field_error(response, "confirm") == "Type the password again."


def test_signup_fields_point_only_at_messages_that_exist(client):
    page = client.get("/signup")
    assert "aria-describedby" not in input_tag(page, "first_name")
    assert 'aria-describedby="password-hint"' in input_tag(page, "password")

    response = client.submit("/signup", signup_data(email="nope", password="short"))
    assert 'aria-describedby="email-error"' in input_tag(response, "email")
    assert 'aria-describedby="password-error password-hint"' in input_tag(response, "password")


def test_signup_with_errors_keeps_email_and_names_but_never_passwords(client):
    typed = signup_data(email="ann@example.org", first_name="Ann", last_name="O'Brien")
    typed["confirm"] = "Something-else-7?"

    response = client.submit("/signup", typed)

    assert response.status_code == 422
    assert input_value(response, "email") == "ann@example.org"
    assert input_value(response, "first_name") == "Ann"
    assert input_value(response, "last_name") == "O'Brien"
    assert not input_value(response, "password")
    assert not input_value(response, "confirm")
    assert DEFAULT_PASSWORD not in html(response)
    assert "Something-else-7?" not in html(response)


def test_a_128_character_password_is_accepted_and_checked_in_full(app, client, mailbox):
    assert len(LONG_PASSWORD) == 128

    response = client.submit("/signup", signup_data(password=LONG_PASSWORD))
    assert response.status_code == 303
    client.submit(mailbox.link("ann@example.org"))
    client.submit("/logout")  # confirming logged them in; try both passwords afresh

    short = client.submit("/login", login_data("ann@example.org", LONG_PASSWORD[:127]))
    assert short.status_code == 422
    full = client.submit("/login", login_data("ann@example.org", LONG_PASSWORD))
    assert full.status_code == 303
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("existing", "typed"),
    [("Foo@X.org", "foo@x.org"), ("foo@x.org", "FOO@X.ORG"), ("foo@x.org", " foo@x.org ")],
)
def test_signup_with_an_address_already_taken_in_any_case_says_so(app, client, existing, typed):
    create_user(app, email=existing)

    response = client.submit("/signup", signup_data(email=typed))

    assert response.status_code == 422
    assert field_error(response, "email") == "An account with this email address already exists."
    assert find_user(app, existing).email == existing


def test_signup_page_sends_a_logged_in_member_home(app, client, auth):
    create_user(app, email="member@example.org")
    auth.login("member@example.org")

    assert client.get("/signup").status_code == 302
    response = client.submit("/signup", signup_data())
    assert response.status_code == 302
    assert find_user(app, "ann@example.org") is None
