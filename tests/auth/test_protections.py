"""Forms without their CSRF token are refused; too many attempts get a clear 429."""

from datetime import timedelta

import pytest
from babel.dates import format_timedelta

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support.auth import (
    create_user,
    find_user,
    html,
    is_logged_in,
    issue_link,
    login_data,
    signup_data,
)

EMAIL = "member@example.org"
OTHER_CLIENT = {"REMOTE_ADDR": "10.0.0.2"}


@pytest.fixture
def member(app):
    return create_user(app, email=EMAIL)


def _post_signup(app, client):
    return client.submit(
        "/signup", signup_data(), csrf=False
    ), lambda: find_user(app, "ann@example.org") is None


def _post_login(app, client):
    return client.submit("/login", login_data(EMAIL), csrf=False), lambda: not is_logged_in(client)


def _post_logout(app, client):
    client.submit("/login", login_data(EMAIL))
    return client.submit("/logout", csrf=False), lambda: is_logged_in(client)


def _post_verify(app, client):
    create_user(app, email="waiting@example.org", verified=False)
    link = issue_link(app, "waiting@example.org", "verify_email")
    return client.submit(
        link, csrf=False
    ), lambda: find_user(app, "waiting@example.org").email_verified_at is None


def _post_reset(app, client):
    link = issue_link(app, EMAIL, "reset_password")
    data = {"password": "Brand-New-Hearth-77?", "confirm": "Brand-New-Hearth-77?"}
    return client.submit(
        link, data, csrf=False
    ), lambda: client.submit("/login", login_data(EMAIL, DEFAULT_PASSWORD)).status_code == 303


def _post_email_only(url):
    def post(app, client):
        return client.submit(url, {"email": EMAIL}, csrf=False), lambda: True

    return post


@pytest.mark.parametrize(
    "post",
    [
        _post_signup,
        _post_login,
        _post_logout,
        _post_verify,
        _post_reset,
        _post_email_only("/verify/resend"),
        _post_email_only("/password/forgot"),
    ],
    ids=["signup", "login", "logout", "verify", "reset", "resend", "forgot"],
)
def test_a_post_without_its_csrf_token_is_refused_with_400_and_changes_nothing(
    app, client, mailbox, member, post
):
    response, nothing_changed = post(app, client)

    assert response.status_code == 400
    assert "security token" in html(response)
    assert nothing_changed()
    assert mailbox.messages() == []


def says_when_to_try_again(response, locale="en"):
    """The page says when to try again as a person would: "in 15 minutes", the Retry-After
    header read by Babel in the page's language."""
    seconds = int(response.headers["Retry-After"])
    text = " ".join(response.get_data(as_text=True).split())
    # The page rounds up and Flask-Limiter's header rounds down: they may differ by one.
    readings = {
        format_timedelta(timedelta(seconds=near), add_direction=True, locale=locale)
        for near in (seconds - 1, seconds, seconds + 1)
        if near > 0
    }
    return any(f"{reading}." in text for reading in readings)


def assert_too_many(response, window_seconds=60):
    """A 429 page that says when to try again, in its text and its Retry-After header."""
    assert response.status_code == 429
    assert 'data-status="429"' in html(response)
    assert response.headers.getlist("Retry-After") == [response.headers["Retry-After"]]
    # The limiter rounds the end of its window up by a second.
    assert 1 <= int(response.headers["Retry-After"]) <= window_seconds + 1
    # As a person says it ("in 15 minutes"), not a count of seconds.
    assert says_when_to_try_again(response), "the page does not say when to try again"


LIMITED_FORMS = [
    ("/login", "RATE_LIMIT_LOGIN", lambda email: login_data(email)),
    ("/signup", "RATE_LIMIT_SIGNUP", lambda email: signup_data(email=email)),
    ("/verify/resend", "RATE_LIMIT_EMAIL", lambda email: {"email": email}),
    ("/password/forgot", "RATE_LIMIT_EMAIL", lambda email: {"email": email}),
]
FORM_IDS = ["login", "signup", "resend", "forgot"]


@pytest.mark.parametrize(("url", "setting", "form"), LIMITED_FORMS, ids=FORM_IDS)
def test_one_client_posting_too_often_gets_429_whatever_address_it_names(
    app, client, monkeypatch, url, setting, form
):
    monkeypatch.setitem(app.config, setting, "2 per minute")

    for number in range(2):
        response = client.submit(url, form(f"person{number}@example.org"))
        assert response.status_code != 429

    assert_too_many(client.submit(url, form("person2@example.org")))
    assert "<html" in html(client.submit(url, form("person3@example.org")))
    other = app.test_client()
    other_response = other.submit(url, form("person4@example.org"), environ_base=OTHER_CLIENT)
    assert other_response.status_code != 429
    assert client.get(url).status_code == 200  # only posts are counted


@pytest.mark.parametrize(("url", "setting", "form"), LIMITED_FORMS, ids=FORM_IDS)
def test_posts_naming_one_address_are_limited_across_clients(
    app, client, monkeypatch, url, setting, form
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "2 per minute")
    other = app.test_client()

    client.submit(url, form("target@example.org"))
    client.submit(url, form("Target@Example.org"))
    response = other.submit(url, form("target@example.org"), environ_base=OTHER_CLIENT)

    assert_too_many(response)
    other_address = other.submit(url, form("someone@example.org"), environ_base=OTHER_CLIENT)
    assert other_address.status_code != 429


def test_an_address_limited_for_reset_gets_no_more_mail(app, client, mailbox, monkeypatch):
    create_user(app, email="target@example.org")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "2 per minute")

    for _ in range(2):
        client.submit("/password/forgot", {"email": "target@example.org"})
    other = app.test_client()
    response = other.submit(
        "/password/forgot", {"email": "target@example.org"}, environ_base=OTHER_CLIENT
    )

    assert response.status_code == 429
    assert len(mailbox.messages("target@example.org")) == 2


def test_a_limited_login_refuses_even_the_right_password(app, client, member, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "2 per minute")
    for _ in range(2):
        client.submit("/login", login_data(EMAIL, "Wrong-password-1!"))

    assert_too_many(client.submit("/login", login_data(EMAIL)))
    assert not is_logged_in(client)


def test_posting_new_passwords_through_a_reset_link_is_limited(app, client, member, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "2 per minute")
    link = issue_link(app, EMAIL, "reset_password")
    for _ in range(2):
        assert client.submit(link, {"password": "weak", "confirm": "weak"}).status_code == 422

    assert_too_many(client.submit(link, {"password": "weak", "confirm": "weak"}))


def test_the_429_for_htmx_is_a_fragment_with_retry_after(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1 per minute")
    client.submit("/login", login_data(EMAIL), htmx=True)

    response = client.submit("/login", login_data(EMAIL), htmx=True)

    assert_too_many(response)
    assert "<html" not in html(response)
    assert "HX-Request" in response.headers["Vary"]
