"""An organiser starts an event from the group page, fixes what the form refuses, and
publishes it; a member finds it in /events by searching as they type. Every page passes
axe-core and reflows, at 1280 px and at 320 px. HEARTH_SCREENSHOTS=<folder> keeps pictures."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import (
    PHONE_WIDTH,
    check_both_widths,
    check_page,
    set_theme,
    watch_console,
)
from tests.browser.test_first_visit_flow import log_in
from tests.events.agenda.factories import make_session, make_weekend
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.groups.models import Group

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def wall_clock(days, hour):
    return (datetime.now() + timedelta(days=days)).replace(hour=hour, minute=0)


@pytest.fixture
def walkers(app):
    """Olu organises Night Walkers from Berlin; Mira, a member, lives in Tokyo."""
    with app.app_context():
        olu = make_user(
            email="olu@example.org", first_name="Olu", last_name="Ade", time_zone="Europe/Berlin"
        )
        mira = make_user(
            email="mira@example.org", first_name="Mira", last_name="Sato", time_zone="Asia/Tokyo"
        )
        group = make_group(olu, name="Night Walkers", slug="night-walkers")
        add_member(group, mira)
    return "night-walkers"


def test_an_organiser_publishes_an_event_and_a_member_finds_it(
    page, browser, live_server, walkers, console_errors
):
    page.set_viewport_size(DESKTOP)
    log_in(page, "olu@example.org")
    page.goto(f"/groups/{walkers}")
    check_both_widths(page)
    page.get_by_role("button", name="New event").click()
    expect(page.get_by_role("heading", name="New event")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    check_both_widths(page, "event-new")

    start, end = wall_clock(20, 19), wall_clock(20, 22)
    page.get_by_label("Title").fill("Lantern walk")
    page.get_by_label("Description").fill("Bring a **lantern**; we walk the canal.")
    page.get_by_label("Starts").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Venue").fill("The old lock")
    page.get_by_label("Capacity").fill("12")
    page.get_by_role("button", name="Save the draft").click()
    # The server refuses (422): the message sits beside the field, which takes the focus.
    expect(page.get_by_text("The end must come after the start.")).to_be_visible()
    expect(page.get_by_label("Ends", exact=True)).to_be_focused()
    check_both_widths(page, "event-new-errors")
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends", exact=True).fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", name="Lantern walk", level=1)).to_be_visible()
    expect(page.get_by_text("This is a draft")).to_be_visible()
    check_both_widths(page, "event-draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event is published")).to_be_visible()
    expect(page.get_by_text("This is a draft")).to_have_count(0)
    expect(page.locator(".event-places")).to_contain_text("12 places left of 12")
    check_both_widths(page, "event-published")

    # Cancelling asks first, in a dialog; keeping the event closes it.
    page.get_by_role("button", name="Cancel the event").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Cancel “Lantern walk”?")).to_be_visible()
    check_page(page)
    dialog.get_by_role("button", name="Keep the event").click()
    expect(dialog).to_be_hidden()

    member_context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    member = member_context.new_page()
    member_errors = watch_console(member, [])
    log_in(member, "mira@example.org")
    expect(member.get_by_role("link", name="Lantern walk")).to_be_visible()  # home page
    check_both_widths(member, "event-home")
    member.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(member.get_by_role("heading", name="Events", level=1)).to_be_visible()
    check_both_widths(member, "event-index")
    member.get_by_role("searchbox", name="Search events").fill("LANTERN")
    expect(member).to_have_url(re.compile(r"/events\?q=LANTERN"))
    expect(member.get_by_role("status")).to_have_text("1 event matches")
    member.get_by_role("searchbox", name="Search events").fill("nothing like it")
    expect(member.get_by_text("No event matches “nothing like it”.")).to_be_visible()
    member.get_by_role("searchbox", name="Search events").fill("canal")
    member.get_by_role("link", name="Lantern walk").click()

    expect(member.get_by_role("heading", name="Lantern walk", level=1)).to_be_visible()
    expect(member.get_by_text("Your time:")).to_be_visible()  # Tokyo is not Berlin
    expect(member.get_by_role("heading", name="Organise")).to_have_count(0)
    check_both_widths(member, "event-member-view")
    assert member_errors == [], "\n".join(member_errors)
    member_context.close()
    assert console_errors == []


def test_every_event_page_passes_axe_and_reflows(app, page, walkers):
    """The pages the flow above does not reach: edit, the confirmations without JavaScript,
    a cancelled event, the past list and a group page with events and drafts."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == walkers))
        make_event(group, title="Planning night", status=EventStatus.DRAFT)
        make_event(group, title="Rained off", status=EventStatus.CANCELLED, venue="The lock")
        make_event(group, title="Last autumn", starts_in=timedelta(days=-90))
        event = make_event(
            group,
            title="A walk with a rather long title that has to wrap on a phone",
            online_url="https://meet.example.org/a-very-long-meeting-room-address-indeed",
            capacity=20,
            rsvp_deadline=None,
            guests_allowed=3,
        )
        manage = f"/events/{event.id}/manage"
    page.set_viewport_size(DESKTOP)
    log_in(page, "olu@example.org")
    for path in [
        f"/groups/{walkers}",
        f"/events?group={walkers}",
        "/events?when=past",
        f"/events/{event.id}",
        f"{manage}/edit",
        f"{manage}/cancel",
        f"{manage}/delete",
    ]:
        page.goto(path)
        check_both_widths(page, "event-" + path.rsplit("/", 1)[-1].split("?")[0])
    page.goto("/events?q=rained")
    page.get_by_role("link", name="Rained off").click()
    expect(page.get_by_text("This event is cancelled.")).to_be_visible()
    check_both_widths(page, "event-cancelled")


def test_the_answer_follows_when_and_where_on_a_phone_and_sits_beside_it_on_a_desk(
    app, page, walkers
):
    """A long agenda must not push the RSVP panel out of reach on a phone."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == walkers))
        event = make_weekend(group, description="A weekend of making. " * 40)
        for hour in range(9, 17):
            make_session(
                event,
                f"Session at {hour}",
                f"2030-03-30T{hour:02}:00",
                f"2030-03-30T{hour:02}:45",
                room="Hall",
            )
        event_id = event.id
    log_in(page, "mira@example.org")
    page.goto(f"/events/{event_id}")
    when = page.get_by_role("heading", name="When and where")
    panel = page.locator(f"#rsvp-panel-{event_id}")
    about = page.get_by_role("heading", name="About")

    page.set_viewport_size({"width": PHONE_WIDTH, "height": DESKTOP["height"]})
    assert on_the_page(when)["y"] < on_the_page(panel)["y"] < on_the_page(about)["y"]
    check_page(page)

    page.set_viewport_size(DESKTOP)
    beside = on_the_page(panel)
    assert beside["x"] > on_the_page(when)["x"] + DESKTOP["width"] / 3
    assert beside["y"] < on_the_page(about)["y"]


def on_the_page(locator):
    """locator's top left corner from the page's, wherever it is scrolled: a resize may
    scroll the page between two reads, and boxes from the window's corner would then
    compare places on two different views."""
    return locator.evaluate(
        "e => { const box = e.getBoundingClientRect();"
        " return {x: box.left + scrollX, y: box.top + scrollY}; }"
    )


def test_the_pages_of_events_show_which_one_is_open(app, page, walkers):
    """45 events are three pages of 20: the page one is on stands out from the links to
    the others (bold, in the text's colour, not underlined), and Next and Previous walk
    the pages, at both widths."""
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == walkers))
        for number in range(1, 46):
            make_event(group, title=f"Walk {number:02}", starts_in=timedelta(days=number))
    page.set_viewport_size(DESKTOP)
    log_in(page, "mira@example.org")
    page.goto("/events?page=2")
    pages = page.get_by_role("navigation", name="Pages of events")
    expect(pages.get_by_text("Page 2 of 3")).to_be_visible()
    expect(page.get_by_role("link", name="Walk 21")).to_be_visible()

    def looks(link):
        return link.evaluate(
            "a => { const s = getComputedStyle(a);"
            " return [s.fontWeight, s.color, s.textDecorationLine]; }"
        )

    current = pages.locator('a[aria-current="page"]')
    expect(current).to_have_text("2")
    # Pico animates colours: without motion, a switched theme is complete at once.
    page.emulate_media(reduced_motion="reduce")
    for theme in ("light", "dark"):
        set_theme(page, theme)
        weight, colour, underline = looks(current)
        other_weight, other_colour, _ = looks(pages.get_by_role("link", name="Page 3"))
        _, text_colour, _ = looks(pages.get_by_text("Page 2 of 3"))
        assert int(weight) >= 700 > int(other_weight), theme
        assert colour == text_colour != other_colour and underline == "none", theme
    set_theme(page, None)
    check_both_widths(page, "events-page-2")

    pages.get_by_role("link", name="Next").click()
    expect(pages.get_by_text("Page 3 of 3")).to_be_visible()
    expect(page.get_by_role("link", name="Walk 45")).to_be_visible()
    expect(pages.get_by_role("link", name="Next")).to_have_count(0)
    pages.get_by_role("link", name="Previous").click()
    expect(pages.get_by_text("Page 2 of 3")).to_be_visible()
