"""A newcomer's first visit, in Chromium: sign up, confirm by email (which logs them in), go
dark, log out, come back. Every page passes axe-core in light and dark and reflows at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

PASSWORD = "Lantern-Harbour-71!"


def test_sign_up_verify_log_in_dark_mode_log_out(page, live_server, mailbox, console_errors):
    page.goto("/")
    check_page(page)
    page.get_by_role("navigation").get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    check_page(page)
    form = page.get_by_role("main")

    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill("something-else")
    form.get_by_role("button", name="Sign up").click()
    # htmx swapped in the 422 form: the message sits by the field and the typing survived.
    expect(page.get_by_text("The two passwords do not match.")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page).to_have_url(re.compile(r"/signup$"))
    # The focus goes to the first field with an error, whose message is read with it.
    expect(page.get_by_label("Confirm password")).to_be_focused()
    check_page(page)

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    check_page(page)

    page.goto(live_server + mailbox.link("ada@example.org"))
    check_page(page)
    page.get_by_role("button", name="Confirm my address").click()
    # Confirmed in the browser that signed up: logged in at once, greeted as a newcomer.
    expect(page.get_by_text("confirmed. Welcome to Hearth, Ada!")).to_be_visible()
    expect(page.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    check_page(page)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("New password", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("html")).not_to_have_attribute("data-theme", "dark")
    check_page(page)

    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome back, Ada")).to_be_visible()

    assert console_errors == []
