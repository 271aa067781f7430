"""A series in Chromium, across a change of the clocks. An organiser in Madrid starts a
weekly series on the new-event form (the dates the sweep would have made by then are
made, as it would), publishes it, and a member answers "this and every later date". The
organiser moves one date alone (to the next day, at 20:00) and cancels another; the
member's series page, the moved date's own page, their email and their calendar feed then
show every date at its right moment: 19:00 in Madrid before and after the clocks go
forward, the moved one on its new day at 20:00 (the email about it names that day and
time, not the old ones), the cancelled one marked so (its email names its date); the lists
show the series once, by its next date. Every page passes axe-core in light and dark at
320 and 1280 px."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from icalendar import Calendar
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_both_widths, check_page
from tests.browser.test_task_flow import person
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.series.horizon import fill_horizon
from webapp.events.series.models import EventSeries
from webapp.extensions import db

pytestmark = pytest.mark.browser

MADRID = ZoneInfo("Europe/Madrid")
EN_DASH = "\u2013"  # between the two times of a span


def spring_forward(year):
    """The last Sunday of March: the night Europe/Madrid goes from CET to CEST."""
    end_of_march = date(year, 3, 31)
    return end_of_march - timedelta(days=(end_of_march.weekday() + 1) % 7)


def first_tuesday_before_the_change():
    """(a Tuesday twelve days before the clocks go forward, that day), the first such
    Tuesday still ahead: the series' dates fall on both sides of the change."""
    year = utcnow().year
    while spring_forward(year) - timedelta(days=12) <= utcnow().date():
        year += 1
    change = spring_forward(year)
    return change - timedelta(days=12), change


@pytest.fixture
def club(app):
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", time_zone="Europe/Madrid")
        mira = make_user(email="mira@example.org", first_name="Mira", time_zone="Europe/Madrid")
        group = make_group(olu, name="Board Gamers")
        add_member(group, mira)
        return group.slug


def madrid_hour(moment):
    return moment.astimezone(MADRID).hour


def zone_name(day):
    """CET or CEST: Madrid's clocks on day."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=MADRID).tzname()


def span(day, hours, pattern):
    """How a page or an email writes day from hours[0] to hours[1] on Madrid's clocks,
    the date in pattern ("Wed 24 Mar 2027" on a page, "Wednesday 24 March 2027" in mail)."""
    start, end = hours
    return f"{format_date(day, pattern, locale='en')}, {start}:00{EN_DASH}{end}:00 {zone_name(day)}"


ON_A_PAGE, IN_AN_EMAIL = "EEE d MMM y", "EEEE d MMMM y"


def test_a_weekly_series_across_the_clocks_change(app, browser, live_server, club, mailbox):
    first, change = first_tuesday_before_the_change()
    errors = []
    organiser = person(browser, live_server, "olu@example.org", errors)
    organiser.goto(f"/groups/{club}/events/new")
    organiser.get_by_label("Title").fill("Board games")
    organiser.get_by_label("Starts").fill(f"{first:%Y-%m-%d}T19:00")
    organiser.get_by_label("Ends").fill(f"{first:%Y-%m-%d}T21:00")
    organiser.get_by_label("Capacity").fill("8")
    organiser.get_by_text("Repeat", exact=True).first.click()
    organiser.get_by_label("Repeats").select_option(label="Weekly")
    check_both_widths(organiser, "series-new")
    organiser.get_by_role("button", name="Save the draft").click()
    expect(organiser.get_by_text("The series is saved as drafts.")).to_be_visible()

    # The sweep, as it runs in the weeks before the first date: the dates up to its horizon.
    with app.app_context():
        series = db.session.scalar(sa.select(EventSeries))
        fill_horizon(series, datetime.combine(first, datetime.min.time(), UTC))
        db.session.commit()
        dates = db.session.scalars(
            sa.select(Event).where(Event.series_id == series.id).order_by(Event.series_date)
        ).all()
        series_id = series.id
    assert dates[0].series_date == first
    assert any(event.series_date > change for event in dates)
    organiser.get_by_role("button", name="Publish the series").click()
    expect(organiser.get_by_text("The series is published")).to_be_visible()
    check_both_widths(organiser, "series-date-organiser")

    member = person(browser, live_server, "mira@example.org", errors)
    member.goto(f"/events/{dates[0].id}-{dates[0].slug}")
    member.get_by_role("button", name="Going to this and every later date").click()
    expect(member.get_by_text("You are going to this date and every later one")).to_be_visible()
    check_both_widths(member, "series-date-member")

    # The second date moves alone, to the next day at 20:00; the third is cancelled.
    second, third = dates[1], dates[2]
    moved_to = second.series_date + timedelta(days=1)
    organiser.goto(f"/events/{second.id}/manage/edit")
    organiser.get_by_label("This date only").check()
    organiser.get_by_label("Starts").fill(f"{moved_to:%Y-%m-%d}T20:00")
    organiser.get_by_label("Ends").fill(f"{moved_to:%Y-%m-%d}T22:00")
    organiser.get_by_role("button", name="Save the event").click()
    expect(organiser.get_by_text("The event is saved.")).to_be_visible()
    organiser.goto(f"/events/{third.id}-{third.slug}")
    organiser.get_by_role("button", name="Cancel the event").click()
    organiser.locator("#confirm-dialog").get_by_role("button", name="Cancel the event").click()
    expect(organiser.get_by_text("The event is cancelled.", exact=True)).to_be_visible()

    # The lists show the series once, by its next date: the first, moved and cancelled
    # ones notwithstanding.
    for address in ("/events", "/"):
        member.goto(address)
        expect(member.get_by_role("link", name="Board games")).to_have_count(1)
        expect(member.get_by_role("link", name="Board games")).to_have_attribute(
            "href", f"/events/{dates[0].id}-{dates[0].slug}"
        )
        check_both_widths(member, f"series-in-{'events' if address == '/events' else 'home'}")

    member.goto(f"/series/{series_id}")
    expect(member.get_by_role("heading", name="Board games", level=1)).to_be_visible()
    expect(member.get_by_text("Repeats every Tuesday at 19:00, Europe/Madrid.")).to_be_visible()
    coming = member.locator("section", has=member.get_by_role("heading", name="Coming dates"))

    def row(event):
        return coming.get_by_role("listitem").filter(
            has=member.locator(f'a[href="/events/{event.id}-{event.slug}"]')
        )

    expect(row(second)).to_contain_text(span(moved_to, (20, 22), ON_A_PAGE))
    expect(row(second)).to_contain_text("Changed for this date")
    expect(row(third)).to_contain_text(span(third.series_date, (19, 21), ON_A_PAGE))
    expect(row(third)).to_contain_text("Cancelled")
    expect(coming.get_by_text("Changed for this date")).to_have_count(1)
    check_both_widths(member, "series-page")
    member.goto(f"/events/{second.id}-{second.slug}")
    expect(member.locator(".event-when")).to_contain_text(span(moved_to, (20, 22), ON_A_PAGE))
    expect(member.locator(".event-when")).not_to_contain_text(
        format_date(second.series_date, ON_A_PAGE, locale="en")
    )
    check_both_widths(member, "series-moved-date")

    # The member was told by email: of the cancelled date, and (once the notice's wait for
    # more changes is over) of the new day and time of the moved one.
    mail = mailbox.after(timedelta(hours=1), to="mira@example.org")
    subjects = [message["Subject"] for message in mail]

    def about(event):
        """The text of the one email that links to event's page."""
        link = re.compile(rf"/events/{event.id}-{event.slug}\s")
        found = [mailbox.text(message) for message in mail if link.search(mailbox.text(message))]
        assert len(found) == 1, (event.series_date, subjects)
        return found[0]

    assert "Cancelled: Board games" in subjects
    moved_mail = about(second)
    assert f"{span(moved_to, (20, 22), IN_AN_EMAIL)} (Europe/Madrid) (new)" in moved_mail
    assert format_date(second.series_date, IN_AN_EMAIL, locale="en") not in moved_mail
    cancelled_mail = about(third)
    assert "The organisers cancelled Board games." in cancelled_mail
    assert f"{span(third.series_date, (19, 21), IN_AN_EMAIL)} (Europe/Madrid)" in cancelled_mail

    member.goto(f"/events/{dates[0].id}-{dates[0].slug}")
    member.get_by_role("link", name="your calendar feed").click()
    address = member.get_by_label("Your private calendar address").input_value()
    feed = Calendar.from_ical(member.request.get(address).body())
    entries = {str(e["UID"]).split("@")[0]: e for e in feed.walk("VEVENT")}
    for event in dates:
        entry = entries[f"event-{event.id}"]
        start = entry.decoded("DTSTART").astimezone(UTC)
        if event.id == second.id:
            assert madrid_hour(start) == 20
        else:
            assert madrid_hour(start) == 19
            # 18:00 UTC in winter, 17:00 UTC once the clocks have gone forward.
            assert start.hour == (18 if event.series_date < change else 17)
        expected = "CANCELLED" if event.id == third.id else "CONFIRMED"
        assert str(entry["STATUS"]) == expected
    assert errors == []
    check_page(member)
