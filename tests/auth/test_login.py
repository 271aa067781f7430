"""Logging in: who may, what the refusals say, and where the member lands."""

import pytest
import sqlalchemy as sa

from tests.support.auth import (
    create_user,
    field_error,
    form_errors,
    html,
    input_value,
    is_logged_in,
    login_data,
)
from tests.support.html_checks import without_csrf_tokens
from webapp.accounts.models import User
from webapp.extensions import db

EMAIL = "member@example.org"
WRONG = "The email address or password is incorrect."


@pytest.fixture
def member(app):
    return create_user(app, email=EMAIL, first_name="Mia")


def test_a_verified_member_logs_in_and_lands_home(client, member):
    response = client.submit("/login", login_data("Member@Example.org"))

    assert response.status_code == 303
    assert response.location == "/"
    assert "Welcome, Mia" in html(client.get("/"))
    assert is_logged_in(client)


def test_an_unverified_account_is_refused_with_a_button_to_resend_the_link(app, client, mailbox):
    create_user(app, email=EMAIL, verified=False)

    response = client.submit("/login", login_data(EMAIL))

    assert response.status_code == 422
    assert form_errors(response) == ["Confirm your email address before logging in."]
    assert '<form method="post" action="/verify/resend" class="resend-inline">' in html(response)
    assert f'<input type="hidden" name="email" value="{EMAIL}">' in html(response)
    assert "Send me a new confirmation link</button>" in html(response)
    assert not is_logged_in(client)

    # The button works: it sends a link that verifies the account.
    assert client.submit("/verify/resend", {"email": EMAIL}).status_code == 303
    assert client.submit(mailbox.link(EMAIL)).status_code == 303
    assert client.submit("/login", login_data(EMAIL)).status_code == 303


def test_an_unverified_account_with_a_wrong_password_gets_only_the_usual_refusal(app, client):
    create_user(app, email=EMAIL, verified=False)

    response = client.submit("/login", login_data(EMAIL, "Not-the-password-1!"))

    assert response.status_code == 422
    assert form_errors(response) == [WRONG]
    assert "/verify/resend" not in html(response)


def test_wrong_password_and_unknown_address_get_the_same_answer(client, member):
    wrong_password = client.submit("/login", login_data(EMAIL, "Not-the-password-1!"))
    unknown = client.submit("/login", login_data("stranger@example.org"))

    assert wrong_password.status_code == unknown.status_code == 422
    assert form_errors(wrong_password) == form_errors(unknown) == [WRONG]
    assert "resend" not in html(wrong_password)
    assert without_csrf_tokens(html(wrong_password)).replace(EMAIL, "X") == without_csrf_tokens(
        html(unknown)
    ).replace("stranger@example.org", "X")
    assert not is_logged_in(client)


def test_a_deactivated_account_is_refused(app, client):
    create_user(app, email=EMAIL, active=False)

    response = client.submit("/login", login_data(EMAIL))

    assert response.status_code == 422
    assert form_errors(response) == [
        "This account has been deactivated. Contact the site administrators."
    ]
    assert not is_logged_in(client)


def test_deactivating_an_account_ends_its_sessions(app, client, member):
    client.submit("/login", login_data(EMAIL))
    assert is_logged_in(client)

    with app.app_context():
        db.session.execute(sa.update(User).where(User.email == EMAIL).values(active=False))
        db.session.commit()

    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"email": "", "password": "x"}, "email", "Enter your email address."),
        ({"email": "nope", "password": "x"}, "email", "Enter a valid email address"),
        ({"email": EMAIL, "password": ""}, "password", "Enter your password."),
    ],
)
def test_an_incomplete_login_form_gets_422_next_to_the_field(
    client, member, data, field_id, message
):
    response = client.submit("/login", data)

    assert response.status_code == 422
    assert message in field_error(response, field_id)
    assert input_value(response, "email") == data["email"]
    assert not input_value(response, "password")


def test_remember_me_sets_a_lasting_http_only_remember_cookie(client, member):
    response = client.submit("/login", login_data(EMAIL, remember="y"))

    assert response.status_code == 303
    cookie = client.get_cookie("hearth_remember")
    assert cookie is not None
    assert cookie.expires is not None
    set_cookie = next(c for c in response.headers.getlist("Set-Cookie") if "hearth_remember" in c)
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_without_remember_me_there_is_no_remember_cookie(client, member):
    response = client.submit("/login", login_data(EMAIL))

    assert response.status_code == 303
    assert client.get_cookie("hearth_remember") is None
    assert not any("hearth_remember" in c for c in response.headers.getlist("Set-Cookie"))


def test_the_session_cookie_is_http_only_and_same_site_lax(client, member):
    response = client.submit("/login", login_data(EMAIL))

    set_cookie = next(c for c in response.headers.getlist("Set-Cookie") if "hearth_session" in c)
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_login_starts_a_new_session(app, client, member):
    client.get("/")
    with client.session_transaction() as planted:
        planted["planted_by_attacker"] = "yes"
    before = client.get_cookie("hearth_session").value

    client.submit("/login", login_data(EMAIL))

    after = client.get_cookie("hearth_session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
    other = app.test_client()
    other.set_cookie("hearth_session", before)
    assert not is_logged_in(other)


@pytest.mark.parametrize(
    ("next_param", "lands_on"),
    [
        ("/settings", "/settings"),
        ("/settings?tab=email", "/settings?tab=email"),
        ("http://evil.example/", "/"),
        ("https://evil.example/settings", "/"),
        ("//evil.example", "/"),
        ("///evil.example", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_login_follows_next_only_to_a_path_on_this_site(client, member, next_param, lands_on, htmx):
    response = client.submit(
        "/login", login_data(EMAIL), htmx=htmx, query_string={"next": next_param}
    )

    location = response.headers["HX-Redirect"] if htmx else response.location
    assert location == lands_on


def test_a_page_that_needs_login_sends_the_visitor_back_after_login(client, member):
    response = client.get("/settings")
    assert response.status_code == 303
    assert response.location == "/login?next=/settings"

    login_page = client.get(response.location)
    assert 'action="/login?next=/settings"' in html(login_page).replace("%2F", "/")

    after = client.submit("/login?next=/settings", login_data(EMAIL))
    assert after.location == "/settings"


def test_the_login_page_sends_a_logged_in_member_on(client, member, auth):
    auth.login(EMAIL)

    assert client.get("/login").status_code == 302
    assert client.get("/login?next=//evil.example").location == "/"


def test_the_greeting_is_a_whole_sentence_first_and_after(client, auth, member):
    # Two messages, not "Welcome" with " back" glued in: translators word each whole.
    auth.login(EMAIL)
    first = html(client.get("/"))
    assert "Welcome, Mia." in first and "<h1>Welcome, Mia</h1>" in first
    auth.logout()
    auth.login(EMAIL)
    again = html(client.get("/"))
    assert "Welcome back, Mia." in again and "<h1>Welcome back, Mia</h1>" in again
