"""Check-in at the door, in Chromium, on two phones. Olu, an organiser of the Canal
Walkers, opens the walk's page on phone A (320 px), taps Door, types part of a name (the
list narrows as he types, without a reload) and checks Mia in. Bea, another organiser, has
the door open on phone B: her count goes from 0 to 1 within seconds, without a reload (the
counts poll every 3 s). She finds Mia, undoes the check-in, and Olu's count goes back to 0.
The door passes axe-core, light and dark, at 1280 px and 320 px, before and after a
check-in. A door pass scanned on one phone checks its person in, and the door's count on
another follows. Walk-ins are added (with a place or without) and removed in place.
Without JavaScript, searching and a tap both work and come back to the door with the
search kept."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.tasks.factories import going
from webapp.database.times import utcnow
from webapp.events.checkin.models import CheckIn
from webapp.events.checkin.passes import scan_url
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}
# The counts poll every 3 s: a change on one phone reaches the other within two polls.
LIVE_TIMEOUT = 10_000
GOING = ("Ada Byron", "Mia Stone", "Zoe Quinn")


@pytest.fixture
def walk(app):
    """Olu and Bea organise the Canal Walkers; Ada, Mia and Zoe are going to the walk, Max
    only maybe. {"event": id, "url": the event's page, name: user id}."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        bea = make_user(email="bea@example.org", first_name="Bea", last_name="Lund")
        group = make_group(olu, name="Canal Walkers")
        add_member(group, bea, role="organiser")
        event = make_event(group, title="Moonlit walk")
        ids = {"event": event.id, "url": f"/events/{event.id}-moonlit-walk"}
        for name in (*GOING, "Max Maybe"):
            first, last = name.split()
            person = make_user(
                first_name=first, last_name=last, email=f"{first.lower()}@example.org"
            )
            add_member(group, person)
            going(event, person, Answer.MAYBE if first == "Max" else Answer.GOING)
            ids[name] = person.id
        return ids


def checked_in(app, event_id):
    """The ids of the people checked in at event_id's door."""
    with app.app_context():
        return set(
            db.session.scalars(sa.select(CheckIn.user_id).where(CheckIn.event_id == event_id))
        )


def counts(page):
    return page.locator("#door-counts")


def people(page):
    return page.locator("#door-people").get_by_role("listitem")


def open_door(page, walk):
    """From the event's page, as an organiser finds the door."""
    page.goto(walk["url"])
    expect(page.get_by_role("heading", name="Moonlit walk", level=1)).to_be_visible()
    page.get_by_role("button", name="Door", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/events/{walk['event']}/door$"))
    expect(page.get_by_role("heading", name="Door", level=1)).to_be_visible()


def test_two_phones_at_the_door_check_in_and_undo_in_step(app, browser, live_server, walk):
    phone_a = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    phone_b = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(phone_b, "bea@example.org")
    phone_b.goto(f"/events/{walk['event']}/door")
    expect(counts(phone_b)).to_have_text("0 of 3 going checked in")
    phone_b.evaluate("() => { window.stayedOnPage = true; }")

    log_in(phone_a, "olu@example.org")
    open_door(phone_a, walk)
    expect(counts(phone_a)).to_have_text("0 of 3 going checked in")
    expect(people(phone_a)).to_have_count(3)
    for name in GOING:
        expect(people(phone_a).filter(has_text=name)).to_have_count(1)
    expect(phone_a.get_by_text("Max Maybe")).to_have_count(0)
    check_both_widths(phone_a, "door")
    phone_a.set_viewport_size(PHONE)

    # As Olu types, the list narrows in place (a reload would lose the marker), and the
    # address follows the search, so that a reload keeps it.
    phone_a.evaluate("() => { window.stayedOnPage = true; }")
    phone_a.get_by_label("Find someone going").press_sequentially("sto", delay=120)
    expect(people(phone_a)).to_have_count(1)
    expect(people(phone_a)).to_contain_text("Mia Stone")
    expect(phone_a).to_have_url(re.compile(rf"/events/{walk['event']}/door\?q=sto$"))
    # Said to a screen reader, from a status region the search does not replace.
    expect(phone_a.locator('[data-status-for="door-people"]')).to_have_text(
        "1 person going matches"
    )
    assert phone_a.evaluate("() => window.stayedOnPage") is True

    with phone_a.expect_response(re.compile(r"/check-in$")) as answer:
        phone_a.get_by_role("button", name="Check in Mia Stone").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    mia = people(phone_a).filter(has_text="Mia Stone")
    expect(mia).to_contain_text("Checked in")
    expect(mia.get_by_role("button", name="Undo the check-in of Mia Stone")).to_be_visible()
    expect(phone_a.locator(".flash")).to_have_text("Mia Stone is checked in.")
    assert phone_a.evaluate("() => window.stayedOnPage") is True
    assert checked_in(app, walk["event"]) == {walk["Mia Stone"]}

    # Phone B's count follows, by its poll, without a reload; and so does phone A's own.
    expect(counts(phone_b)).to_have_text("1 of 3 going checked in", timeout=LIVE_TIMEOUT)
    assert phone_b.evaluate("() => window.stayedOnPage") is True
    expect(counts(phone_a)).to_have_text("1 of 3 going checked in", timeout=LIVE_TIMEOUT)
    check_both_widths(phone_a, "door-checked-in")
    phone_a.set_viewport_size(PHONE)

    # Bea finds Mia (her list is as it was when she opened it) and takes it back.
    phone_b.get_by_label("Find someone going").press_sequentially("mia", delay=120)
    expect(people(phone_b)).to_have_count(1)
    expect(people(phone_b)).to_contain_text("Checked in")
    phone_b.get_by_role("button", name="Undo the check-in of Mia Stone").click()
    expect(phone_b.locator(".flash")).to_have_text("Mia Stone is no longer checked in.")
    expect(people(phone_b).get_by_role("button", name="Check in Mia Stone")).to_be_visible()
    expect(people(phone_b)).not_to_contain_text("Checked in")
    assert phone_b.evaluate("() => window.stayedOnPage") is True
    assert checked_in(app, walk["event"]) == set()

    expect(counts(phone_a)).to_have_text("0 of 3 going checked in", timeout=LIVE_TIMEOUT)
    expect(counts(phone_b)).to_have_text("0 of 3 going checked in", timeout=LIVE_TIMEOUT)
    assert phone_a.evaluate("() => window.stayedOnPage") is True

    # Phone A's list is as it was (only the counts are live); a reload brings it up to
    # date and keeps the search.
    phone_a.reload()
    expect(phone_a.get_by_label("Find someone going")).to_have_value("sto")
    expect(people(phone_a)).to_have_count(1)
    expect(people(phone_a).get_by_role("button", name="Check in Mia Stone")).to_be_visible()
    phone_a.context.close()
    phone_b.context.close()


def test_the_door_works_without_javascript(app, browser, live_server, walk):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "olu@example.org")
    open_door(page, walk)
    expect(counts(page)).to_have_text("0 of 3 going checked in")

    # The search is a plain GET form.
    page.get_by_label("Find someone going").fill("sto")
    page.get_by_role("button", name="Find").click()
    expect(page).to_have_url(re.compile(rf"/events/{walk['event']}/door\?q=sto$"))
    expect(people(page)).to_have_count(1)
    expect(people(page)).to_contain_text("Mia Stone")

    # A tap posts, and Post/Redirect/Get comes back to the door with the search kept.
    with page.expect_response(re.compile(r"/check-in$")) as answer:
        page.get_by_role("button", name="Check in Mia Stone").click()
    assert answer.value.status == 303
    assert answer.value.headers["location"] == f"/events/{walk['event']}/door?q=sto"
    expect(page).to_have_url(re.compile(rf"/events/{walk['event']}/door\?q=sto$"))
    expect(page.locator(".flash")).to_have_text("Mia Stone is checked in.")
    expect(counts(page)).to_have_text("1 of 3 going checked in")
    expect(people(page)).to_have_count(1)
    expect(people(page)).to_contain_text("Checked in")
    expect(page.get_by_label("Find someone going")).to_have_value("sto")
    assert checked_in(app, walk["event"]) == {walk["Mia Stone"]}

    page.get_by_role("button", name="Undo the check-in of Mia Stone").click()
    expect(page).to_have_url(re.compile(rf"/events/{walk['event']}/door\?q=sto$"))
    expect(page.locator(".flash")).to_have_text("Mia Stone is no longer checked in.")
    expect(counts(page)).to_have_text("0 of 3 going checked in")
    assert checked_in(app, walk["event"]) == set()
    # (axe-core runs as a script: the test above checks the door with JavaScript on.)
    context.close()


def test_a_pass_scanned_on_one_phone_checks_its_person_in_on_both(app, browser, live_server, walk):
    """Ada opens her door pass from the walk's page (its QR code is an image with a name);
    Bea's phone opens the link the code holds, as a camera app would, and one tap checks
    Ada in; Olu's door, open on another phone, counts her within seconds."""
    ada = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(ada, "ada@example.org")
    ada.goto(walk["url"])
    ada.get_by_role("link", name=re.compile("Your door pass")).click()
    expect(ada.get_by_role("heading", name="Your door pass", level=1)).to_be_visible()
    code = ada.get_by_role("img", name="Door pass of Ada Byron for Moonlit walk")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    check_both_widths(ada, "door-pass")

    olu = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(olu, "olu@example.org")
    olu.goto(f"/events/{walk['event']}/door")
    expect(counts(olu)).to_have_text("0 of 3 going checked in")

    with app.app_context(), app.test_request_context():
        link = scan_url(walk["event"], walk["Ada Byron"]).removeprefix(app.config["BASE_URL"])
    bea = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(bea, "bea@example.org")
    bea.goto(link)
    expect(bea.get_by_role("heading", name="Ada Byron", level=1)).to_be_visible()
    check_both_widths(bea, "door-scan")
    bea.set_viewport_size(PHONE)
    assert checked_in(app, walk["event"]) == set()
    bea.get_by_role("button", name="Check in Ada Byron").click()
    expect(bea).to_have_url(re.compile(rf"/events/{walk['event']}/door$"))
    expect(bea.locator(".flash")).to_have_text("Ada Byron is checked in.")
    assert checked_in(app, walk["event"]) == {walk["Ada Byron"]}

    expect(counts(olu)).to_have_text("1 of 3 going checked in", timeout=LIVE_TIMEOUT)
    ada.reload()
    expect(ada.get_by_role("status").filter(has_text="You were checked in at")).to_be_visible()


def walk_ins_section(page):
    return page.locator("#door-walk-ins")


def test_walk_ins_are_added_and_removed_at_the_door(app, browser, live_server, walk):
    """Olu adds a walk-in without a place (in place, with htmx), then one taking a place;
    a name left out is said beside its box; a walk-in is removed with one tap. The door
    passes axe-core with its walk-ins and a refused form. Without JavaScript the form posts
    and comes back to the door."""
    page = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(page, "olu@example.org")
    page.goto(f"/events/{walk['event']}/door")
    page.evaluate("() => { window.stayedOnPage = true; }")
    section = walk_ins_section(page)

    section.get_by_role("button", name="Add the walk-in").click()
    expect(section.locator("#name-error")).to_have_text("Enter their name.")
    expect(section.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    check_both_widths(page, "door-walk-in-refused")
    page.set_viewport_size(PHONE)

    section.get_by_label("Name").fill("Tom Thumb")
    section.get_by_label("Email address (if they give one)").fill("tom@example.org")
    section.get_by_role("button", name="Add the walk-in").click()
    expect(page.locator(".flash")).to_have_text("Tom Thumb is added as a walk-in.")
    expect(section.get_by_role("listitem")).to_have_count(1)
    expect(counts(page)).to_contain_text("1 walk-in")
    expect(section.get_by_label("Name")).to_have_value("")

    section.get_by_label("Name").fill("Kit Carson")
    section.get_by_label("Takes one of the event's places").check()
    section.get_by_role("button", name="Add the walk-in").click()
    expect(section.get_by_role("listitem")).to_have_count(2)
    expect(section.get_by_role("listitem").first).to_contain_text("Takes a place")
    expect(counts(page)).to_contain_text("2 walk-ins")
    assert page.evaluate("() => window.stayedOnPage") is True
    check_both_widths(page, "door-walk-ins")
    page.set_viewport_size(PHONE)

    section.get_by_role("button", name="Remove the walk-in Tom Thumb").click()
    expect(page.locator(".flash")).to_have_text("Tom Thumb is no longer a walk-in.")
    expect(section.get_by_role("listitem")).to_have_count(1)
    expect(counts(page)).to_contain_text("1 walk-in")
    page.context.close()

    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, "olu@example.org")
    plain.goto(f"/events/{walk['event']}/door")
    walk_ins_section(plain).get_by_label("Name").fill("Ann Other")
    with plain.expect_response(re.compile(r"/walk-ins$")) as added:
        walk_ins_section(plain).get_by_role("button", name="Add the walk-in").click()
    assert added.value.status == 303
    expect(plain).to_have_url(re.compile(rf"/events/{walk['event']}/door$"))
    expect(plain.locator(".flash")).to_have_text("Ann Other is added as a walk-in.")
    expect(walk_ins_section(plain).get_by_role("listitem")).to_have_count(2)
    context.close()


def test_how_often_people_came_reads_on_the_members_and_group_pages(
    app, browser, live_server, walk
):
    """Once Ada was checked in at a walk now over, Olu's members page says how often each
    member came, and Ada's group page says it to her; both pass axe-core."""
    with app.app_context():
        event = db.session.get(Event, walk["event"])
        group, ada = event.group, walk["Ada Byron"]
        event.starts_at, event.ends_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
        db.session.add(CheckIn(event_id=event.id, user_id=ada))
        group.door_used = True
        db.session.commit()
        slug = group.slug
    olu = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(olu, "olu@example.org")
    olu.goto(f"/groups/{slug}/manage/members")
    expect(olu.get_by_role("columnheader", name="Came")).to_be_attached()
    expect(olu.locator("tr", has_text="Ada Byron").locator('td[data-label="Came"]')).to_have_text(
        "1 of 1 event"
    )
    check_both_widths(olu, "members-came")

    page = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(page, "ada@example.org")
    page.goto(f"/groups/{slug}")
    expect(page.get_by_text("You came to 1 of 1 event of the group")).to_be_visible()
    check_both_widths(page, "group-own-attendance")
