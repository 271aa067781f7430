"""Calendars and event email settings in Chromium: a member adds an event to their
calendar, turns reminders off, and makes a new feed address, which ends the old one.
Every page passes axe-core in light and dark and reflows at 320 px."""

import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.browser.test_first_visit_flow import log_in
from tests.events.mail.support import answer, make_party
from webapp.events.mail.models import EventMailOptOut
from webapp.events.rsvp.models import Answer
from webapp.extensions import db

pytestmark = pytest.mark.browser


def test_add_to_calendar_choose_emails_and_renew_the_feed(page, app, live_server, console_errors):
    party = make_party(app, venue="Old Oak", time_zone="America/New_York")
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    log_in(page, party.ann_email)

    page.goto(f"/events/{party.event_id}-summer-picnic")
    check_page(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "summer-picnic.ics"
    [event] = Calendar.from_ical(Path(download.path()).read_bytes()).events
    assert str(event["SUMMARY"]) == "Summer picnic"

    page.get_by_role("link", name="your calendar feed").click()
    expect(page.get_by_role("heading", name="Event emails")).to_be_visible()
    check_page(page)
    reminders = page.get_by_label("A reminder a day before an event I'm going to")
    expect(reminders).to_be_checked()
    reminders.uncheck()
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your event email choices are saved.")).to_be_visible()
    expect(reminders).not_to_be_checked()
    with app.app_context():
        assert [row.kind for row in db.session.query(EventMailOptOut).all()] == ["reminders"]

    address = page.get_by_label("Your private calendar address")
    old = address.input_value()
    assert re.fullmatch(re.escape(live_server) + r"/calendar/\d+-[\w-]{43}\.ics", old)
    assert page.request.get(old).status == 200
    page.get_by_role("button", name="Make a new address").click()
    expect(page.get_by_text("Your calendar feed has a new address.")).to_be_visible()
    expect(address).not_to_have_value(old)
    new = address.input_value()
    assert page.request.get(old).status == 404
    feed = page.request.get(new)
    assert feed.status == 200
    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.body()).events] == ["Summer picnic"]
    check_page(page)

    assert console_errors == []
