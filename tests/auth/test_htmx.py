"""Every auth address twice: as a full page, and as the fragment htmx asks for."""

import re

import pytest

from tests.support.auth import (
    create_user,
    html,
    is_logged_in,
    issue_link,
    login_data,
    signup_data,
    tampered,
)

EMAIL = "member@example.org"
WAITING = "waiting@example.org"


@pytest.fixture
def accounts(app):
    """A verified member and one still waiting to confirm their address."""
    create_user(app, email=EMAIL)
    create_user(app, email=WAITING, verified=False)


def verify_link(app):
    return issue_link(app, WAITING, "verify_email")


def reset_link(app):
    return issue_link(app, EMAIL, "reset_password")


# (name, address, status, id of the fragment's root element)
PAGES = [
    ("signup", lambda app: "/signup", 200, "signup-form"),
    ("login", lambda app: "/login", 200, "login-panel"),
    ("check-inbox", lambda app: "/signup/check-your-inbox", 200, "resend-form"),
    ("resend", lambda app: "/verify/resend", 200, "resend-form"),
    ("forgot-password", lambda app: "/password/forgot", 200, "forgot-password-form"),
    ("verify", verify_link, 200, "verify-form"),
    ("reset-password", reset_link, 200, "reset-password-form"),
    ("link-problem", lambda app: tampered(verify_link(app)), 400, "link-problem"),
]


@pytest.mark.parametrize(
    ("address", "status", "root_id"),
    [page[1:] for page in PAGES],
    ids=[page[0] for page in PAGES],
)
def test_an_auth_address_is_a_full_page(app, client, accounts, address, status, root_id):
    response = client.get(address(app))

    assert response.status_code == status
    assert "<html" in html(response)
    assert f'id="{root_id}"' in html(response)
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("address", "status", "root_id"),
    [page[1:] for page in PAGES],
    ids=[page[0] for page in PAGES],
)
def test_an_auth_address_asked_by_htmx_is_only_its_fragment(
    app, client, accounts, address, status, root_id
):
    response = client.fragment(address(app))

    assert response.status_code == status
    assert "<html" not in html(response)
    assert "<body" not in html(response)
    assert re.match(rf'\s*<\w+ id="{root_id}"', html(response)), "fragment root has no id"
    assert "HX-Request" in response.headers["Vary"]


def test_a_boosted_or_history_restore_request_gets_the_full_page(client):
    for header in ("HX-Boosted", "HX-History-Restore-Request"):
        response = client.get("/login", headers={"HX-Request": "true", header: "true"})
        assert "<html" in html(response)


def _logged_in(app, client):
    client.submit("/login", login_data(EMAIL))
    return "/logout", {}


# (name, how to get address and form, where htmx is sent)
GOOD_POSTS = [
    ("signup", lambda app, c: ("/signup", signup_data()), "/signup/check-your-inbox"),
    ("login", lambda app, c: ("/login", login_data(EMAIL)), "/"),
    ("logout", _logged_in, "/"),
    ("resend", lambda app, c: ("/verify/resend", {"email": WAITING}), "/signup/check-your-inbox"),
    ("forgot-password", lambda app, c: ("/password/forgot", {"email": EMAIL}), "/login"),
    ("verify", lambda app, c: (verify_link(app), {}), "/login"),
    (
        "reset-password",
        lambda app, c: (
            reset_link(app),
            {"password": "Brand-New-Hearth-77?", "confirm": "Brand-New-Hearth-77?"},
        ),
        "/login",
    ),
]


@pytest.mark.parametrize(
    ("prepare", "target"), [post[1:] for post in GOOD_POSTS], ids=[post[0] for post in GOOD_POSTS]
)
def test_a_successful_htmx_post_answers_204_with_hx_redirect(
    app, client, accounts, prepare, target
):
    address, data = prepare(app, client)

    response = client.submit(address, data, htmx=True)

    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == target
    assert html(response) == ""


def test_an_htmx_login_really_logs_in(client, accounts):
    client.submit("/login", login_data(EMAIL), htmx=True)

    assert is_logged_in(client)


# (name, how to get address and form, id of the fragment's root element, a message in it)
BAD_POSTS = [
    ("signup", lambda app: ("/signup", signup_data(email="nope")), "signup-form", "valid email"),
    (
        "login",
        lambda app: ("/login", login_data(EMAIL, "Wrong-password-1!")),
        "login-panel",
        "The email address or password is incorrect.",
    ),
    ("resend", lambda app: ("/verify/resend", {"email": "nope"}), "resend-form", "valid email"),
    (
        "forgot-password",
        lambda app: ("/password/forgot", {"email": ""}),
        "forgot-password-form",
        "Enter your email address.",
    ),
    (
        "reset-password",
        lambda app: (reset_link(app), {"password": "weak", "confirm": "weak"}),
        "reset-password-form",
        "Use at least 8 characters.",
    ),
]


@pytest.mark.parametrize(
    ("prepare", "root_id", "message"),
    [post[1:] for post in BAD_POSTS],
    ids=[post[0] for post in BAD_POSTS],
)
def test_a_failing_htmx_post_answers_422_with_only_the_fragment(
    app, client, accounts, prepare, root_id, message
):
    address, data = prepare(app)

    response = client.submit(address, data, htmx=True)

    assert response.status_code == 422
    assert "<html" not in html(response)
    assert f'id="{root_id}"' in html(response)
    assert message in html(response)
    assert "HX-Request" in response.headers["Vary"]
    assert "HX-Redirect" not in response.headers
