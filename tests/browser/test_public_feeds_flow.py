"""Public feeds in Chromium: a visitor follows a public group's events from its page, and
the events found by a search from the list, as typed; each link gives a feed that a
calendar app (icalendar) and a feed reader (feedparser) read. A pasted link's card: the
picture an event's and a group's page name, as Chromium decodes it. Every page passes
axe-core in light and dark and reflows at 320 px."""

import feedparser
import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import check_page
from tests.events.factories import make_event
from tests.events.mail.support import make_party
from webapp.extensions import db
from webapp.groups.models import Group

pytestmark = pytest.mark.browser


def test_a_visitor_follows_a_groups_events_and_a_search(page, app, live_server, console_errors):
    party = make_party(app, venue="Old Oak", time_zone="America/New_York")
    with app.app_context():
        make_event(_group(party.group_slug), title="Night walk")

    page.goto(f"/groups/{party.group_slug}")
    follow = page.locator("p.feeds")
    expect(follow).to_contain_text("Follow these events:")
    check_page(page)
    calendar = page.request.get(
        follow.get_by_role("link", name="Calendar feed").get_attribute("href")
    )
    assert calendar.status == 200
    titles = sorted(str(e["SUMMARY"]) for e in Calendar.from_ical(calendar.body()).events)
    assert titles == ["Night walk", "Summer picnic"]

    page.goto("/events")
    page.get_by_role("searchbox", name="Search events").fill("night")
    atom_link = page.locator("p.feeds").get_by_role("link", name="Atom feed")
    expect(atom_link).to_have_attribute("href", "/events.atom?q=night")
    check_page(page)
    atom = feedparser.parse(page.request.get(atom_link.get_attribute("href")).body())
    assert not atom.bozo
    assert [entry.title for entry in atom.entries] == ["Night walk"]

    assert console_errors == []


def test_a_public_pages_card_is_a_picture_chromium_shows(page, app, live_server, console_errors):
    party = make_party(app, venue="Old Oak", time_zone="America/New_York")
    for address in (f"/events/{party.event_id}", f"/groups/{party.group_slug}"):
        page.goto(address)
        image = page.locator('meta[property="og:image"]').get_attribute("content")
        alt = page.locator('meta[property="og:image:alt"]').get_attribute("content")
        assert image.endswith("/card.png") and "Walkers" in alt
        check_page(page)
        # The picture as a browser decodes it, at the size the page says.
        size = page.evaluate(
            """async (address) => {
                const picture = new Image();
                picture.src = address;
                await picture.decode();
                return [picture.naturalWidth, picture.naturalHeight];
            }""",
            image,
        )
        assert size == [1200, 630]
    assert console_errors == []


def _group(slug):
    return db.session.scalar(db.select(Group).where(Group.slug == slug))
