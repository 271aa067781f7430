"""An owner starts a private group and invites someone new, who signs up and joins; the owner
makes them an organiser with Save. Every page passes axe-core and reflows at 320 px."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser.conftest import check_page, watch_console

pytestmark = pytest.mark.browser

INVITEE_PASSWORD = "Moonlit-Towpath-93!"


def test_owner_invites_a_newcomer_who_joins_and_becomes_organiser(
    app, page, browser, live_server, mailbox, console_errors
):
    with app.app_context():
        make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")

    page.goto("/login")
    check_page(page)
    page.get_by_label("Email").fill("olu@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Olu")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    check_page(page)
    page.get_by_role("button", name="Start a group").click()
    check_page(page)
    page.get_by_role("button", name="Create the group").click()
    # A 422 keeps the page a "Start a group" page and puts the focus on the missing name.
    expect(page.get_by_label("Name")).to_be_focused()
    expect(page.get_by_role("heading", name="Start a group")).to_be_visible()
    expect(page.get_by_role("button", name="Create the group")).to_be_visible()
    check_page(page)
    page.get_by_label("Name").fill("Night Walkers")
    page.get_by_label("Description").fill("We walk the **canal** after dark.")
    page.get_by_label("Private: only members know it exists").check()
    page.get_by_label("Invitation only").check()
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("heading", name="Night Walkers", exact=True)).to_be_visible()
    expect(page.get_by_text("Private group")).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Manage the group").click()
    page.get_by_role("link", name="Invitations").click()
    check_page(page)
    page.get_by_label("Email address").fill("mira@example.org")
    page.get_by_label("Message (optional)").fill("Join us on Friday!")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to mira@example.org.")).to_be_visible()
    expect(page.get_by_role("cell", name="mira@example.org", exact=True)).to_be_visible()
    check_page(page)

    invitee_context = browser.new_context(base_url=live_server)
    invitee = invitee_context.new_page()
    invitee_errors = watch_console(invitee, [])
    invitee.goto(live_server + mailbox.link("mira@example.org"))
    expect(invitee.get_by_role("heading", name="Join Night Walkers")).to_be_visible()
    expect(invitee.get_by_text("Join us on Friday!")).to_be_visible()
    check_page(invitee)
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
    # Confirmed in the browser that signed up: logged in, on the group's page, a member.
    expect(invitee.get_by_text("Your email address is confirmed")).to_be_visible()
    expect(invitee.get_by_role("heading", name="Night Walkers", exact=True)).to_be_visible()
    expect(invitee.get_by_text("You are a member of this group.")).to_be_visible()
    check_page(invitee)

    page.get_by_role("link", name="Members").click()
    row = page.get_by_role("row", name="Mira Sato")
    expect(row).to_be_visible()
    check_page(page)
    row.get_by_label("Role of Mira Sato").select_option("organiser")
    page.wait_for_timeout(300)
    expect(page.get_by_text("Mira Sato is now organiser.")).to_have_count(0)  # not saved yet
    row.get_by_role("button", name="Save Mira Sato's role").click()
    expect(page.get_by_text("Mira Sato is now organiser.")).to_be_visible()
    # The focus stays on the button pressed, in the row's fresh copy.
    expect(page.get_by_role("button", name="Save Mira Sato's role")).to_be_focused()
    page.reload()
    expect(page.get_by_label("Role of Mira Sato")).to_have_value("organiser")

    invitee.reload()
    expect(invitee.get_by_text("You are an organiser of this group.")).to_be_visible()
    invitee.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    invitee.get_by_role("link", name="My groups").click()
    expect(invitee.get_by_role("link", name="Night Walkers")).to_be_visible()
    invitee_context.close()

    assert console_errors == []
    assert invitee_errors == []
