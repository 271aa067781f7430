"""Settings: changing the email address, confirmed by a link sent to the new one."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import Auth
from tests.support.auth import tampered
from tests.support.html_checks import by_id, field_error
from tests.support.members import new_member, stored

OLD = "ada.old@example.org"
NEW = "ada.new@example.net"


@pytest.fixture
def logged_in(app, auth):
    member = new_member(app, email=OLD, first_name="Ada")
    assert auth.login(member.email).status_code == 303
    return member


def email_data(email=NEW, password=DEFAULT_PASSWORD):
    return {"email-email": email, "email-current_password": password}


@pytest.fixture
def change_link(client, logged_in, mailbox):
    """Ask for the change to NEW; the path of the link mailed to NEW."""
    assert client.submit("/settings/email", email_data()).status_code == 303
    return mailbox.link(NEW)


def can_log_in(app, email):
    return Auth(app.test_client()).login(email).status_code == 303


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (email_data(password="Not-My-Password-1!"), "current_password", "is incorrect"),
        (email_data(password=""), "current_password", "Enter your current password."),
        (email_data(email=""), "email", "Enter your email address."),
        (email_data(email="not-an-address"), "email", "Enter a valid email address"),
        (email_data(email="ADA.Old@Example.org"), "email", "already your email address"),
    ],
    # An address taken by another account is not refused here: tests/test_abuse_email_change.py
    ids=["wrong-password", "no-password", "empty", "invalid", "same"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_refused_email_change_is_422_next_to_the_field_and_sends_nothing(
    app, client, logged_in, mailbox, data, field, message, htmx
):
    new_member(app, email="taken@example.org")
    response = client.submit("/settings/email", data, htmx=htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("<html" in html) is not htmx
    assert message in field_error(html, f"email-{field}")
    # What was typed stays in the box (email-validator lower-cases only the domain).
    typed = by_id(html, "email-email").attrs.get("value") or ""
    assert typed.lower() == data["email-email"].lower()
    assert stored(app, logged_in.id).email == OLD
    assert mailbox.messages() == []


def test_email_change_mails_a_confirm_link_to_the_new_address_only(app, client, logged_in, mailbox):
    response = client.submit("/settings/email", email_data())
    assert response.status_code == 303
    assert response.location == "/settings#email"
    assert f"We sent a link to {NEW}" in client.get(response.location).get_data(as_text=True)

    [message] = mailbox.messages(NEW)
    assert message["Subject"] == "Confirm your new email address"
    assert mailbox.link(NEW).startswith("/settings/email/confirm/")
    assert mailbox.messages(OLD) == []
    assert stored(app, logged_in.id).email == OLD


def test_htmx_email_change_returns_the_section_with_the_news(client, logged_in, mailbox):
    response = client.submit("/settings/email", email_data(), htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="email-form"' in html
    assert f"We sent a link to {NEW}" in html
    assert len(mailbox.messages(NEW)) == 1


def test_opening_the_link_shows_a_button_and_changes_nothing(app, client, logged_in, change_link):
    response = client.get(change_link)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    form = by_id(html, "confirm-email-form")
    assert (form.attrs["method"], form.attrs["action"]) == ("post", change_link)
    assert stored(app, logged_in.id).email == OLD
    assert can_log_in(app, OLD)


def test_confirm_link_as_htmx_fragment_is_only_the_button(client, change_link):
    response = client.fragment(change_link)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="confirm-email-form"' in html


@pytest.mark.parametrize("device", ["same-browser", "logged-out-device"])
def test_confirming_moves_the_login_to_the_new_address(
    app, client, logged_in, change_link, mailbox, device
):
    browser = client if device == "same-browser" else app.test_client()
    response = browser.submit(change_link)
    assert response.status_code == 303
    assert response.location == "/settings"

    user = stored(app, logged_in.id)
    assert (user.email, user.email_normalized) == (NEW, NEW)
    assert user.is_verified
    assert can_log_in(app, NEW)
    assert not can_log_in(app, OLD)


def test_confirming_tells_the_old_address(app, client, logged_in, change_link, mailbox):
    client.submit(change_link)
    [notice] = mailbox.messages(OLD)
    assert notice["Subject"] == "Your Hearth email address was changed"
    assert NEW in mailbox.text(notice)
    assert "/settings/email/confirm/" not in mailbox.text(notice)
    assert [m["Subject"] for m in mailbox.messages(NEW)] == ["Confirm your new email address"]


def test_confirm_link_works_once(app, client, change_link):
    assert client.submit(change_link).status_code == 303
    for again in (client.submit(change_link), client.get(change_link)):
        assert again.status_code == 400
        assert by_id(again.get_data(as_text=True), "link-problem").attrs["data-reason"] == "used"


def test_a_newer_change_request_retires_the_older_link(app, client, logged_in, change_link):
    client.submit("/settings/email", email_data(email="ada.third@example.com"))
    response = client.submit(change_link)
    assert response.status_code == 400
    assert by_id(response.get_data(as_text=True), "link-problem").attrs["data-reason"] == "used"
    assert stored(app, logged_in.id).email == OLD


def test_tampered_confirm_link_is_refused(app, client, logged_in, change_link):
    response = client.submit(tampered(change_link, -2))
    assert response.status_code == 400
    assert by_id(response.get_data(as_text=True), "link-problem").attrs["data-reason"] == "tampered"
    assert stored(app, logged_in.id).email == OLD


def test_confirm_without_csrf_token_changes_nothing(app, client, logged_in, change_link):
    assert client.submit(change_link, csrf=False).status_code == 400
    assert stored(app, logged_in.id).email == OLD


def test_address_taken_before_the_click_is_not_moved_to(app, client, logged_in, change_link):
    new_member(app, email=NEW.upper())
    response = client.submit(change_link)
    assert response.status_code == 303
    assert response.location == "/"
    assert "Another account started using this address" in client.get("/").get_data(as_text=True)
    assert stored(app, logged_in.id).email == OLD
