"""A newcomer with JavaScript turned off, in Chromium: sign up (a mistake first, shown by
its field), confirm from the email, find an open group and join it. The other main flows
without JavaScript (answer, vote, take a task, upload, leave feedback) are in their own
feature's browser test."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.groups.factories import make_group

pytestmark = pytest.mark.browser

PASSWORD = "Quiet-Harbour-48!"


@pytest.fixture
def plain(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_sign_up_confirm_and_join_a_group_without_javascript(app, plain, live_server, mailbox):
    with app.app_context():
        make_group(make_user(), name="Harbour Rowers", join_policy="open")

    plain.goto("/signup")
    plain.get_by_label("Email").fill("noor@example.org")
    plain.get_by_label("First name").fill("Noor")
    plain.get_by_label("Last name").fill("Haddad")
    plain.get_by_label("Password", exact=True).fill(PASSWORD)
    plain.get_by_label("Confirm password").fill("not the same")
    plain.get_by_role("main").get_by_role("button", name="Sign up").click()
    # A whole page came back (422): the message by its field, the typing kept.
    expect(plain.get_by_text("The two passwords do not match.")).to_be_visible()
    expect(plain.get_by_label("First name")).to_have_value("Noor")

    plain.get_by_label("Password", exact=True).fill(PASSWORD)
    plain.get_by_label("Confirm password").fill(PASSWORD)
    plain.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(plain.get_by_role("heading", name="Check your inbox")).to_be_visible()

    plain.goto(live_server + mailbox.link("noor@example.org"))
    plain.get_by_role("button", name="Confirm my address").click()
    expect(plain.get_by_role("heading", name="Welcome, Noor")).to_be_visible()

    plain.goto("/groups?q=rowers")
    plain.get_by_role("link", name="Harbour Rowers").click()
    plain.get_by_role("button", name="Join the group").click()
    expect(plain).to_have_url(re.compile(r"/groups/[^/?]+$"))
    expect(plain.get_by_role("heading", name="Harbour Rowers")).to_be_visible()
    expect(plain.get_by_role("button", name="Leave the group")).to_be_visible()
