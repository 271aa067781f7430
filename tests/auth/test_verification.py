"""The emailed verification link: confirm button, single use, expiry, and asking again."""

import pytest

from tests.support.auth import (
    create_user,
    expire_links,
    field_error,
    find_user,
    html,
    input_value,
    link_problem_reason,
    signup_data,
    tampered,
    unknown_link,
)
from tests.support.html_checks import without_csrf_tokens

EMAIL = "ann@example.org"


@pytest.fixture
def link(client, mailbox):
    """The verification link emailed to a new, unverified member."""
    assert client.submit("/signup", signup_data(email=EMAIL)).status_code == 303
    return mailbox.link(EMAIL)


def test_a_newcomer_signs_up_follows_the_emailed_link_and_logs_in(client, mailbox):
    home = client.get("/")
    assert home.status_code == 200
    assert "Create an account" in html(home)

    client.submit("/signup", signup_data(email="New@Example.org", first_name="Ann"))
    link = mailbox.link("New@example.org")
    assert client.get(link).status_code == 200
    # Confirmed in the browser that signed up: logged in at once, greeted as a newcomer.
    assert client.submit(link).location == "/"

    assert "Welcome, Ann" in html(client.get("/"))


def test_opening_the_link_shows_a_confirm_button_and_does_not_verify(app, client, link):
    response = client.get(link)

    assert response.status_code == 200
    assert f'<form id="verify-form" method="post" action="{link}"' in html(response)
    assert "Confirm my address</button>" in html(response)
    assert find_user(app, EMAIL).email_verified_at is None
    assert client.get(link).status_code == 200  # looking twice uses nothing up


def test_confirming_verifies_and_redirects_to_login_with_the_address_filled_in(app, link):
    client = app.test_client()  # another browser than the one that signed up
    response = client.submit(link)

    assert response.status_code == 303
    assert response.location == "/login"
    assert find_user(app, EMAIL).email_verified_at is not None
    login_page = client.get("/login")
    assert "Your email address is confirmed" in html(login_page)
    assert input_value(login_page, "email") == EMAIL


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_used_link_gets_a_page_saying_it_was_used(client, link, method):
    client.submit(link)

    response = client.get(link) if method == "GET" else client.submit(link)

    assert response.status_code == 400
    assert link_problem_reason(response) == "used"
    assert "This link was already used" in html(response)
    # The offer of a new link already knows the address.
    assert input_value(response, "email") == EMAIL


def break_link(app, link, how):
    """The link made unusable in one of the ways a person can meet."""
    if how == "expired":
        expire_links(app, "verify_email")
        return link
    if how == "tampered":
        return tampered(link)
    return unknown_link(app, "verify_email")


@pytest.mark.parametrize(
    ("how", "heading"),
    [
        ("expired", "This link has expired"),
        ("tampered", "This link is damaged"),
        ("unknown", "We do not know this link"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_broken_link_gets_a_400_page_saying_why_and_offering_a_new_link(
    app, client, link, how, heading, method
):
    broken = break_link(app, link, how)

    response = client.get(broken) if method == "GET" else client.submit(broken)

    assert response.status_code == 400
    assert link_problem_reason(response) == how
    assert heading in html(response)
    assert '<form method="post" action="/verify/resend">' in html(response)
    assert "Send a new confirmation link</button>" in html(response)
    assert find_user(app, EMAIL).email_verified_at is None


def test_the_new_link_offered_on_an_expired_link_page_works(app, client, mailbox, link):
    expire_links(app, "verify_email")
    assert client.get(link).status_code == 400

    assert client.submit("/verify/resend", {"email": EMAIL}).status_code == 303
    fresh = mailbox.link(EMAIL)
    assert fresh != link
    assert client.submit(fresh).status_code == 303
    assert find_user(app, EMAIL).email_verified_at is not None


def test_an_older_link_stops_working_once_a_newer_one_is_sent(app, client, mailbox, link):
    client.submit("/verify/resend", {"email": EMAIL})
    newer = mailbox.link(EMAIL)

    old = client.submit(link)
    assert old.status_code == 400
    assert link_problem_reason(old) == "used"
    assert find_user(app, EMAIL).email_verified_at is None
    assert client.submit(newer).status_code == 303


def _reply_text(client, email):
    """What a visitor sees after asking to resend to email, with the address and the
    CSRF tokens (they carry a timestamp) blanked."""
    response = client.submit("/verify/resend", {"email": email})
    page = client.get(response.location)
    return (
        response.status_code,
        response.location,
        without_csrf_tokens(html(page)).replace(email, "EMAIL"),
    )


def test_resend_replies_the_same_whether_or_not_the_address_has_an_account(app, client):
    create_user(app, email="waiting@example.org", verified=False)

    known = _reply_text(client, "waiting@example.org")
    unknown = _reply_text(client, "nobody@example.org")

    assert known == unknown
    assert known[:2] == (303, "/signup/check-your-inbox")
    assert "a new link is on its way" in known[2]


@pytest.mark.parametrize(
    ("account", "mails"),
    [
        ({"verified": False}, 1),
        ({"verified": True}, 0),
        ({"verified": False, "active": False}, 0),
        (None, 0),
    ],
    ids=["unverified", "verified", "deactivated", "no-account"],
)
def test_resend_mails_only_an_existing_unverified_account(app, client, mailbox, account, mails):
    if account is not None:
        create_user(app, email="someone@example.org", **account)

    response = client.submit("/verify/resend", {"email": "Someone@Example.org"})

    assert response.status_code == 303
    assert len(mailbox.messages("someone@example.org")) == mails


def test_resend_with_an_invalid_address_gets_422_next_to_the_field(client):
    response = client.submit("/verify/resend", {"email": "not-an-email"})

    assert response.status_code == 422
    assert "Enter a valid email address" in field_error(response, "email")
