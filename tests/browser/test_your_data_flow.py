"""Your data in Chromium. Ines asks for a download of her data; the page turns to "ready"
without a reload once the worker has built it (the part polls itself), and she downloads
the zip. Then she deletes her account: a wrong password is refused beside the field, the
right one logs her out. With JavaScript off the page is current on reload. Every page
visited passes axe-core, light and dark, and reflows at 320 px (1280 px too)."""

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser.conftest import check_page, watch_console
from tests.browser.test_rsvp_flow import log_in
from tests.conftest import run_worker
from tests.groups.factories import add_member, make_group

pytestmark = pytest.mark.browser
# Pictures to look at (not asserted on), with HEARTH_SCREENSHOTS=<folder> as elsewhere.
SCREENSHOTS = os.environ.get("HEARTH_SCREENSHOTS")


def shoot(page, name):
    if SCREENSHOTS:
        # caret="initial": hiding the caret injects a style, which the CSP reports.
        path = str(Path(SCREENSHOTS) / f"your-data-{name}.png")
        page.screenshot(path=path, full_page=True, caret="initial")


def check_both_widths(page, name):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page)
        shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def ines(app):
    """Ines, in a group of Tomas's."""
    with app.app_context():
        tomas = make_user(email="tomas.yd@example.org", first_name="Tomas", last_name="Ek")
        ines = make_user(email="ines.yd@example.org", first_name="Ines", last_name="Moreau")
        add_member(make_group(tomas, name="Harbour Rowers"), ines)
        return ines.email


def test_download_my_data_then_delete_my_account(app, page, ines):
    errors = watch_console(page, [])
    log_in(page, ines)
    page.goto("/settings")
    page.get_by_role("link", name="Your data and account").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    check_both_widths(page, "page")
    page.get_by_role("button", name="Download my data").click()
    part = page.locator("#data-export")
    expect(part).to_contain_text("waiting to start")
    check_both_widths(page, "pending")
    # The worker builds it; the part, polling, turns to ready without a reload.
    run_worker(app)
    expect(part).to_contain_text("Your download is ready.", timeout=10_000)
    link = part.get_by_role("link", name="Download the zip")
    expect(link).to_be_visible()
    check_both_widths(page, "ready")
    with page.expect_download() as download_info:
        link.click()
    data = Path(download_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        profile = json.loads(archive.read("profile.json"))
        memberships = json.loads(archive.read("memberships.json"))
    assert profile["email"] == ines
    assert [m["group"] for m in memberships] == ["Harbour Rowers"]
    # Delete the account: a wrong password first.
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    check_both_widths(page, "delete")
    page.get_by_label("Your password").fill("Not-My-Password-1!")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#password-error")).to_have_text("The password is incorrect.")
    check_both_widths(page, "delete-refused")
    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    check_both_widths(page, "deleted")
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/login"))
    assert errors == []


def test_with_javascript_off_the_page_is_current_on_reload(app, browser, live_server, ines):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, ines)
    page.goto("/settings/data")
    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_text("We are putting your data together.")).to_be_visible()
    expect(page.locator("#data-export")).to_contain_text("waiting to start")
    run_worker(app)
    page.reload()
    expect(page.locator("#data-export")).to_contain_text("Your download is ready.")
    page.goto("/settings/delete")
    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    context.close()
