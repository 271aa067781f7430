"""An owner starts a private group and invites someone new, who signs up and joins."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import watch_console
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser

INVITEE_PASSWORD = "Moonlit-Towpath-93!"


def test_owner_invites_a_newcomer_who_joins_and_becomes_organiser(
    app, page, browser, live_server, mailbox, console_errors
):
    with app.app_context():
        make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")

    page.goto("/login")
    page.get_by_label("Email").fill("olu@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Olu")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    page.get_by_role("button", name="Start a group").click()
    page.get_by_label("Name").fill("Night Walkers")
    page.get_by_label("Description").fill("We walk the **canal** after dark.")
    page.get_by_label("Private: only members know it exists").check()
    page.get_by_label("Invitation only").check()
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("heading", name="Night Walkers", exact=True)).to_be_visible()
    expect(page.get_by_text("Private group")).to_be_visible()

    page.get_by_role("button", name="Manage the group").click()
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Email address").fill("mira@example.org")
    page.get_by_label("Message (optional)").fill("Join us on Friday!")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to mira@example.org.")).to_be_visible()
    expect(page.get_by_role("cell", name="mira@example.org", exact=True)).to_be_visible()

    invitee_context = browser.new_context(base_url=live_server)
    invitee = invitee_context.new_page()
    invitee_errors = watch_console(invitee, [])
    invitee.goto(live_server + mailbox.link("mira@example.org"))
    expect(invitee.get_by_role("heading", name="Join Night Walkers")).to_be_visible()
    expect(invitee.get_by_text("Join us on Friday!")).to_be_visible()
    invitee.get_by_role("button", name="Create an account").click()
    expect(invitee.get_by_label("Email")).to_have_value("mira@example.org")
    invitee.get_by_label("First name").fill("Mira")
    invitee.get_by_label("Last name").fill("Sato")
    invitee.get_by_label("Password", exact=True).fill(INVITEE_PASSWORD)
    invitee.get_by_label("Confirm password").fill(INVITEE_PASSWORD)
    invitee.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(invitee.get_by_role("heading", name="Check your inbox")).to_be_visible()
    invitee.goto(live_server + mailbox.link("mira@example.org"))
    invitee.get_by_role("button", name="Confirm my address").click()
    expect(invitee.get_by_text("Your email address is confirmed")).to_be_visible()

    page.get_by_role("link", name="Members").click()
    row = page.get_by_role("row", name="Mira Sato")
    expect(row).to_be_visible()
    row.get_by_label("Role of Mira Sato").select_option("organiser")
    expect(page.get_by_text("Mira Sato is now organiser.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Role of Mira Sato")).to_have_value("organiser")

    invitee.get_by_label("Password").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="Log in").click()
    invitee.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    invitee.get_by_role("link", name="My groups").click()
    expect(invitee.get_by_role("link", name="Night Walkers")).to_be_visible()
    invitee_context.close()

    assert console_errors == []
    assert invitee_errors == []
