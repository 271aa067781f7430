"""The site admin in Chromium. An admin deactivates a member who is logged in in another
browser: the member's next click lands on the login page, saying they were logged out,
and their login is refused with the reason. The admin's pages pass axe-core at 320 and
1280 px, and the same action works with JavaScript off (a confirmation page)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.admin.support import failed_message
from tests.browser.conftest import check_page, watch_console
from tests.browser.test_rsvp_flow import log_in
from tests.groups.factories import add_member, make_group
from webapp.auth.session_loader import SESSION_ENDED

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("HEARTH_SCREENSHOTS")


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"admin-{name}.png"), full_page=True)


def check_both_widths(page, name):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page)
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def site(app):
    """Ada runs the site; Pat is a member of the Canal Walkers; one email failed."""
    with app.app_context():
        make_user(email="ada@example.org", first_name="Ada", last_name="Lovel", is_site_admin=True)
        pat = make_user(email="pat@example.org", first_name="Pat", last_name="Parsnip")
        group = make_group(pat, name="Canal Walkers")
        add_member(group, make_user(email="kim@example.org", first_name="Kim", last_name="Ko"))
        failed_message(recipient="lost@example.org", subject="Welcome to the Canal Walkers")


def test_an_admin_deactivates_a_member_who_is_logged_out_on_their_next_click(
    browser, live_server, site
):
    contexts = [browser.new_context(base_url=live_server) for _ in range(2)]
    admin, member = (context.new_page() for context in contexts)
    errors = watch_console(admin, [])
    watch_console(member, errors)

    log_in(member, "pat@example.org")
    member.goto("/groups")
    log_in(admin, "ada@example.org")
    admin.get_by_role("link", name="Admin").click()
    expect(admin.get_by_role("heading", name="Overview")).to_be_visible()
    check_both_widths(admin, "overview")

    admin.get_by_role("link", name="People").click()
    admin.get_by_label("Search people").fill("parsnip")
    expect(admin.locator("#admin-users")).not_to_contain_text("kim@example.org")
    check_both_widths(admin, "people")
    admin.get_by_role("button", name="Deactivate Pat Parsnip").click()
    dialog = admin.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Deactivate Pat Parsnip?")).to_be_visible()
    check_page(admin)
    shoot(admin, "deactivate-dialog")
    dialog.get_by_role("button", name="Deactivate").click()
    expect(admin.get_by_text("Pat Parsnip is deactivated")).to_be_visible()
    expect(admin.locator("#admin-users")).to_contain_text("Deactivated")

    # Pat's next click: logged out, told why, on the login page.
    member.get_by_role("link", name="Settings").click()
    expect(member).to_have_url(re.compile(r"/login"))
    expect(member.get_by_text(SESSION_ENDED)).to_be_visible()
    check_both_widths(member, "logged-out")
    member.get_by_label("Email").fill("pat@example.org")
    member.get_by_label("Password").fill(DEFAULT_PASSWORD)
    member.get_by_role("button", name="Log in").click()
    expect(member.get_by_text("This account has been deactivated")).to_be_visible()

    # The other admin pages, each checked.
    for link, heading, name in [
        ("Groups", "Groups", "groups"),
        ("Outbox", "Outbox", "outbox"),
        ("Failed jobs", "Failed jobs", "jobs"),
        ("Audit log", "Audit log", "audit"),
    ]:
        admin.get_by_role("navigation", name="Site admin").get_by_role("link", name=link).click()
        expect(admin.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        check_both_widths(admin, name)
    expect(admin.locator("#admin-audit")).to_contain_text("deactivated the account of Pat")
    assert errors == []
    for context in contexts:
        context.close()


def test_an_admin_suspends_a_group_with_javascript_off(browser, live_server, site):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "ada@example.org")
    page.goto("/admin/groups")
    page.get_by_role("button", name="Suspend Canal Walkers").click()
    expect(page.get_by_role("heading", name="Suspend Canal Walkers?")).to_be_visible()
    shoot(page, "suspend-no-js")
    page.get_by_role("button", name="Suspend", exact=True).click()
    expect(page.get_by_text("Canal Walkers is suspended.")).to_be_visible()
    expect(page.locator("#admin-groups")).to_contain_text("Suspended")
    context.close()
