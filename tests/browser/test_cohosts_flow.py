"""Co-hosts in Chromium. Olu, who owns the Canal Walkers, opens the Night walk's co-hosts
from its page, tries to name nobody (told beside the list, in place), then names Ada; the
event's page says who hosts it. Ada logs in, finds the walk's Organise box (Edit, Door,
Questions; no Cancel, Delete or Co-hosts) and edits the walk. Each page passes axe-core,
light and dark, at 1280 px and 320 px. Without JavaScript (where axe-core cannot run) the
same forms post and come back: Olu names Bo, removes him and names Ada, who edits the
walk."""

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
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        group = make_group(olu, name="Canal Walkers")
        make_event(group, title="First walk")
        event = make_event(group, title="Night walk", capacity=10)
        for first, last in (("Ada", "Byron"), ("Bo", "Chen")):
            add_member(
                group,
                make_user(email=f"{first.lower()}@example.org", first_name=first, last_name=last),
            )
        return {"event": event.id, "url": f"/events/{event.id}-night-walk"}


def organise_box(page):
    return page.get_by_role("article").filter(has=page.get_by_role("heading", name="Organise"))


def test_an_organiser_names_a_cohost_who_edits_the_event(browser, live_server, walk):
    olu = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(olu, "olu@example.org")
    olu.goto(walk["url"])
    organise_box(olu).get_by_role("button", name="Co-hosts").click()
    expect(olu).to_have_url(re.compile(rf"/events/{walk['event']}/cohosts$"))
    expect(olu.get_by_text("No co-hosts yet.")).to_be_visible()
    check_both_widths(olu, "cohosts-manage")

    olu.evaluate("() => { window.stayedOnPage = true; }")
    olu.get_by_role("button", name="Make co-host").click()
    section = olu.locator("#event-cohosts-manage")
    expect(section.locator(".field-error")).to_have_text("Choose a member of the group.")
    expect(section.get_by_label("Member")).to_have_attribute("aria-invalid", "true")
    check_both_widths(olu, "cohosts-refused")
    olu.set_viewport_size(PHONE)
    section.get_by_label("Member").select_option(label="Ada Byron (ada@example.org)")
    section.get_by_role("button", name="Make co-host").click()
    expect(olu.locator(".flash")).to_have_text("Ada Byron co-hosts this event now.")
    expect(section.get_by_role("button", name="Remove Ada Byron as a co-host")).to_be_visible()
    assert olu.evaluate("() => window.stayedOnPage") is True
    check_both_widths(olu, "cohosts-named")

    olu.goto(walk["url"])
    expect(olu.locator("#event-hosts")).to_have_text("Canal Walkers, with co-host Ada Byron")

    ada = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(ada, "ada@example.org")
    ada.goto(walk["url"])
    box = organise_box(ada)
    for name in ("Edit", "Door", "Questions"):
        expect(box.get_by_role("button", name=name, exact=True)).to_be_visible()
    for name in ("Cancel the event", "Delete", "Co-hosts"):
        expect(box.get_by_role("button", name=name, exact=True)).to_have_count(0)
    check_both_widths(ada, "cohost-event")
    box.get_by_role("button", name="Edit", exact=True).click()
    expect(ada.get_by_role("heading", name=re.compile("Edit"))).to_be_visible()
    check_both_widths(ada, "cohost-edit")
    ada.set_viewport_size(PHONE)
    ada.get_by_label("Title").fill("Night walk by the canal")
    ada.get_by_role("button", name="Save the event").click()
    expect(ada.get_by_role("heading", name="Night walk by the canal", level=1)).to_be_visible()
    expect(ada.locator(".flash")).to_have_text("The event is saved.")


def test_cohosts_without_javascript(browser, live_server, walk):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    olu = context.new_page()
    log_in(olu, "olu@example.org")
    manage = f"/events/{walk['event']}/cohosts"
    olu.goto(manage)
    olu.get_by_label("Member").select_option(label="Bo Chen (bo@example.org)")
    with olu.expect_response(re.compile(r"/cohosts$")) as named:
        olu.get_by_role("button", name="Make co-host").click()
    assert named.value.status == 303
    expect(olu.locator(".flash")).to_have_text("Bo Chen co-hosts this event now.")
    with olu.expect_response(re.compile(r"/remove$")) as removed:
        olu.get_by_role("button", name="Remove Bo Chen as a co-host").click()
    assert removed.value.status == 303
    expect(olu).to_have_url(re.compile(rf"{manage}$"))
    expect(olu.locator(".flash")).to_have_text("Bo Chen no longer co-hosts this event.")
    olu.get_by_label("Member").select_option(label="Ada Byron (ada@example.org)")
    olu.get_by_role("button", name="Make co-host").click()
    expect(olu.locator(".flash")).to_have_text("Ada Byron co-hosts this event now.")

    ada_context = browser.new_context(
        base_url=live_server, viewport=PHONE, java_script_enabled=False
    )
    ada = ada_context.new_page()
    log_in(ada, "ada@example.org")
    ada.goto(f"/events/{walk['event']}/manage/edit")
    ada.get_by_label("Title").fill("Night walk, no lights")
    with ada.expect_response(re.compile(r"/manage/edit$")) as saved:
        ada.get_by_role("button", name="Save the event").click()
    assert saved.value.status == 303
    expect(ada.get_by_role("heading", name="Night walk, no lights", level=1)).to_be_visible()
    context.close()
    ada_context.close()
