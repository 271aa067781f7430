"""A change of password or address ends every link mailed before it: a reset link in an
old inbox must not take the account back."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import Auth
from tests.support.auth import (
    issue_link,
    link_problem_reason,
)
from tests.support.members import new_member, stored

OLD = "ada@example.org"
NEW = "ada@example.net"
NEW_PASSWORD = "Brand-New-Kettle-77?"


@pytest.fixture
def ada(app):
    return new_member(app, email=OLD, first_name="Ada")


def mailed_reset_link(app, mailbox):
    """The reset link a forgot-password request mails to OLD, from a stranger's browser."""
    assert app.test_client().submit("/password/forgot", {"email": OLD}).status_code == 303
    return mailbox.link(OLD)


def assert_dead(app, link):
    response = app.test_client().get(link)
    assert response.status_code == 400
    assert link_problem_reason(response) == "used"
    reset = app.test_client().submit(
        link, {"password": "Taken-Over-42!", "confirm": "Taken-Over-42!"}
    )
    assert reset.status_code == 400


def test_an_email_change_ends_a_reset_link_mailed_before_it(app, client, ada, mailbox):
    reset_link = mailed_reset_link(app, mailbox)
    assert Auth(client).login(OLD).status_code == 303
    data = {"email-email": NEW, "email-current_password": DEFAULT_PASSWORD}
    assert client.submit("/settings/email", data).status_code == 303
    assert client.submit(mailbox.link(NEW)).status_code == 303
    assert stored(app, ada.id).email == NEW

    assert_dead(app, reset_link)
    assert Auth(app.test_client()).login(NEW).status_code == 303


def test_a_password_change_ends_a_reset_link_mailed_before_it(app, client, ada, mailbox):
    reset_link = mailed_reset_link(app, mailbox)
    assert Auth(client).login(OLD).status_code == 303
    data = {
        "password-current_password": DEFAULT_PASSWORD,
        "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD,
    }
    assert client.submit("/settings/password", data).status_code == 303

    assert_dead(app, reset_link)
    assert Auth(app.test_client()).login(OLD, NEW_PASSWORD).status_code == 303


def test_a_password_change_ends_a_pending_email_change(app, client, ada, mailbox):
    assert Auth(client).login(OLD).status_code == 303
    data = {"email-email": NEW, "email-current_password": DEFAULT_PASSWORD}
    assert client.submit("/settings/email", data).status_code == 303
    change_link = mailbox.link(NEW)
    data = {
        "password-current_password": DEFAULT_PASSWORD,
        "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD,
    }
    assert client.submit("/settings/password", data).status_code == 303

    response = client.get(change_link)
    assert response.status_code == 400
    assert link_problem_reason(response) == "used"
    assert stored(app, ada.id).email == OLD


def test_a_completed_reset_ends_the_other_links(app, mailbox):
    new_member(app, email="new@example.org", verified=False)
    verify_link = issue_link(app, "new@example.org", "verify_email")
    assert (
        app.test_client().submit("/password/forgot", {"email": "new@example.org"}).status_code
        == 303
    )
    reset_link = mailbox.link("new@example.org")

    done = app.test_client().submit(reset_link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303

    response = app.test_client().get(verify_link)
    assert response.status_code == 400
    assert link_problem_reason(response) == "used"
    assert_dead(app, reset_link)
