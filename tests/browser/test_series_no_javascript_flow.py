"""A series with JavaScript turned off, in Chromium: every step a plain form that posts and
comes back with its message. An organiser starts a weekly series of six dates on the
new-event form and publishes it; a member answers "this and every later date"; the
organiser moves the third date and every later one to 20:00, then ends the series from
the fifth (the question is a page of its own without JavaScript). The member's series
page then shows the first two dates at 19:00, the next two at 20:00 and the last two
cancelled, going to each.

axe-core runs as a script, which a page without JavaScript does not run: each page is
checked, light and dark at 1280 and 320 px, at the same address in a browser with
JavaScript on that holds the same person's session."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.browser.test_series_flow import ON_A_PAGE, span
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.series.models import EventSeries
from webapp.extensions import db

pytestmark = pytest.mark.browser


class Person:
    """Someone in a browser with JavaScript off (page), and the same session in one with
    it on (twin), where axe-core checks the pages they see."""

    def __init__(self, browser, live_server, email):
        self.page = browser.new_context(base_url=live_server, java_script_enabled=False).new_page()
        log_in(self.page, email)
        self.twin = browser.new_context(base_url=live_server).new_page()
        self.twin.context.add_cookies(self.page.context.cookies())

    def check(self, name):
        """The page this person is on passes axe-core (in the twin) and reflows."""
        self.twin.goto(self.page.url)
        # The same page as the same person (not a login page).
        assert urlsplit(self.twin.url).path == urlsplit(self.page.url).path, self.twin.url
        expect(self.twin.locator("h1")).to_have_text(self.page.locator("h1").inner_text())
        check_both_widths(self.twin, name)

    def close(self):
        self.page.context.close()
        self.twin.context.close()


@pytest.fixture
def club(app):
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", time_zone="Europe/Madrid")
        mira = make_user(email="mira@example.org", first_name="Mira", time_zone="Europe/Madrid")
        group = make_group(olu, name="Board Gamers")
        add_member(group, mira)
        return group.slug


def dates_of_the_series(app):
    with app.app_context():
        series = db.session.scalar(sa.select(EventSeries))
        dates = db.session.scalars(
            sa.select(Event).where(Event.series_id == series.id).order_by(Event.series_date)
        ).all()
        return series.id, dates


def test_a_series_from_start_to_end_without_javascript(app, browser, live_server, club):
    first = utcnow().date() + timedelta(days=8)
    olu = Person(browser, live_server, "olu@example.org")
    organiser = olu.page
    organiser.goto(f"/groups/{club}/events/new")
    organiser.get_by_label("Title").fill("Board games")
    organiser.get_by_label("Starts").fill(f"{first:%Y-%m-%d}T19:00")
    organiser.get_by_label("Ends").fill(f"{first:%Y-%m-%d}T21:00")
    organiser.get_by_label("Capacity").fill("8")
    organiser.get_by_text("Repeat", exact=True).first.click()
    organiser.get_by_label("Repeats").select_option(label="Weekly")
    organiser.get_by_label("After the number of dates below").check()
    organiser.get_by_label("Number of dates", exact=True).fill("6")
    organiser.get_by_role("button", name="Save the draft").click()
    expect(organiser.get_by_text("The series is saved as drafts.")).to_be_visible()
    series_id, dates = dates_of_the_series(app)
    assert [event.series_date for event in dates] == [first + timedelta(weeks=n) for n in range(6)]
    expect(organiser).to_have_url(re.compile(rf"/events/{dates[0].id}-board-games$"))
    olu.check("series-nojs-draft")
    organiser.get_by_role("button", name="Publish the series").click()
    expect(organiser.get_by_text("The series is published, 6 dates so far")).to_be_visible()

    mira = Person(browser, live_server, "mira@example.org")
    member = mira.page
    member.goto(f"/events/{dates[0].id}-{dates[0].slug}")
    member.get_by_role("button", name="Going to this and every later date").click()
    expect(
        member.get_by_text("You are going to this date and every later one (6 dates")
    ).to_be_visible()
    expect(member.get_by_text("Your answer: Going.")).to_be_visible()
    mira.check("series-nojs-date-member")

    # The third date and every later one move to 20:00.
    third, fifth = dates[2], dates[4]
    organiser.goto(f"/events/{third.id}-{third.slug}")
    organiser.get_by_role("button", name="Edit", exact=True).click()
    expect(organiser).to_have_url(re.compile(rf"/events/{third.id}/manage/edit$"))
    olu.check("series-nojs-edit")
    organiser.get_by_label("This date and every later one").check()
    organiser.get_by_label("Starts").fill(f"{third.series_date:%Y-%m-%d}T20:00")
    organiser.get_by_label("Ends").fill(f"{third.series_date:%Y-%m-%d}T22:00")
    organiser.get_by_role("button", name="Save the event").click()
    expect(organiser.get_by_text("The event is saved.")).to_be_visible()
    expect(organiser).to_have_url(re.compile(rf"/events/{third.id}-board-games$"))

    # The series ends from the fifth date: without JavaScript the question is a page.
    organiser.goto(f"/events/{fifth.id}-{fifth.slug}")
    organiser.get_by_role("button", name="End the series from this date").click()
    # (A GET form: the address ends in an empty query.)
    expect(organiser).to_have_url(re.compile(rf"/events/{fifth.id}/series/end\??$"))
    expect(organiser.get_by_role("heading", name="End the series from", level=1)).to_be_visible()
    olu.check("series-nojs-end")
    organiser.get_by_role("button", name="End the series", exact=True).click()
    expect(organiser).to_have_url(re.compile(rf"/series/{series_id}-board-games$"))
    expect(
        organiser.get_by_text("The series ends before this date: 2 dates are cancelled")
    ).to_be_visible()

    member.goto(f"/series/{series_id}")
    expect(member).to_have_url(re.compile(rf"/series/{series_id}-board-games$"))
    coming = member.locator("section", has=member.get_by_role("heading", name="Coming dates"))
    rows = coming.get_by_role("listitem")
    expect(rows).to_have_count(6)
    for number, event in enumerate(dates):
        row = rows.nth(number)
        expect(row.get_by_role("link")).to_have_attribute(
            "href", f"/events/{event.id}-{event.slug}"
        )
        expect(row).to_contain_text("Your answer: Going.")
        if number < 4:
            hours = (19, 21) if number < 2 else (20, 22)
            expect(row).to_contain_text(span(event.series_date, hours, ON_A_PAGE))
            expect(row).not_to_contain_text("Cancelled")
        else:
            expect(row).to_contain_text("Cancelled")
    expect(coming).not_to_contain_text("Changed for this date")
    mira.check("series-nojs-series-page")
    olu.close()
    mira.close()
