"""Reports in Chromium. Mia, a member of the Canal Walkers, opens "Report this event" on
the Night walk's page, sends the form without a reason (told beside the choices, in
place), chooses Spam and sends it (thanked in place). Olu, who owns the group, opens the
group's Reports from its manage pages and dismisses the case; Mia's reports say it is
resolved. Each page passes axe-core, light and dark, at 1280 px and 320 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}


@pytest.fixture
def walk(app):
    with app.app_context():
        olu = make_user(email="olu.reports@example.org", first_name="Olu", last_name="Ade")
        group = make_group(olu, name="Canal Walkers")
        event = make_event(group, title="Night walk")
        mia = make_user(email="mia.reports@example.org", first_name="Mia", last_name="Rao")
        add_member(group, mia)
        return {"slug": group.slug, "url": f"/events/{event.id}-night-walk"}


def test_a_member_reports_an_event_and_the_owner_decides_it(browser, live_server, walk):
    mia = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(mia, "mia.reports@example.org")
    mia.goto(walk["url"])
    mia.get_by_role("link", name="Report this event").click()
    expect(mia.get_by_role("heading", name="Report the event “Night walk”")).to_be_visible()
    check_both_widths(mia, "report-form")

    mia.set_viewport_size(PHONE)
    mia.evaluate("() => { window.stayedOnPage = true; }")
    mia.get_by_role("button", name="Send the report").click()
    expect(mia.locator(".field-error")).to_have_text("Choose a reason.")
    check_both_widths(mia, "report-refused")
    mia.set_viewport_size(PHONE)
    mia.get_by_label("Spam").check()
    mia.get_by_label("Anything the organisers should know").fill("An advert, not a walk.")
    mia.get_by_role("button", name="Send the report").click()
    expect(mia.locator("#report-form")).to_contain_text("Thank you.")
    assert mia.evaluate("() => window.stayedOnPage") is True
    check_both_widths(mia, "report-sent")

    olu = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(olu, "olu.reports@example.org")
    olu.goto(f"/groups/{walk['slug']}/manage/members")
    olu.get_by_role("link", name="Reports").click()
    expect(olu).to_have_url(re.compile(r"/manage/reports$"))
    queue = olu.locator("#group-reports")
    expect(queue).to_contain_text("The event “Night walk”")
    expect(queue).to_contain_text("An advert, not a walk.")
    check_both_widths(olu, "report-queue")
    olu.set_viewport_size(PHONE)
    queue.get_by_role("button", name="Dismiss").click()
    expect(olu.locator(".flash")).to_have_text("Dismissed: the event “Night walk”.")
    expect(olu.locator("#group-reports")).to_contain_text("No reports are waiting.")
    check_both_widths(olu, "report-queue-empty")

    mia.goto("/reports")
    expect(mia.locator("#your-reports")).to_contain_text("Resolved: Looked at, and left as it is")
    check_both_widths(mia, "your-reports")
