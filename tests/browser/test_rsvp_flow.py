"""RSVP in Chromium. An event with one place: the organiser goes, a member lands on the
waitlist, the organiser drops out, and the member's open page shows them going without a
reload (the panel's live poll), with the app under gunicorn in two worker processes that
share only PostgreSQL or SQLite and Redis; the promotion email, queued by gunicorn and
delivered by a real RQ worker over SMTP, leads the member back to the event. The event
page passes axe-core at 320 and 1280 px, and answering works with JavaScript off."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_both_widths, check_page, log_in, shoot, watch_console
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

pytestmark = pytest.mark.browser


def panel(page):
    return page.locator("section.rsvp-panel")


@pytest.fixture
def one_place(app):
    """Olu organises the Canal Walkers; Mira walks with them. A walk with one place."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")
        mira = make_user(email="mira@example.org", first_name="Mira", last_name="Sato")
        group = make_group(olu, name="Canal Walkers")
        add_member(group, mira)
        event = make_event(group, title="Moonlit walk", capacity=1, description="Bring a torch.")
    return f"/events/{event.id}-moonlit-walk"


@pytest.mark.redis
def test_a_freed_place_reaches_the_waiting_members_open_page(
    app, browser, one_place, two_workers, mailbox, monkeypatch
):
    server = two_workers
    # The promotion email is rendered by the job worker (here mailbox's, in this process):
    # it knows the site by the address the web processes serve, as in production.
    monkeypatch.setitem(app.config, "BASE_URL", server.url)
    organiser_context = browser.new_context(base_url=server.url)
    member_context = browser.new_context(base_url=server.url)
    organiser, member = organiser_context.new_page(), member_context.new_page()
    errors = watch_console(organiser, [])
    watch_console(member, errors)

    log_in(organiser, "olu@example.org")
    organiser.goto(one_place)
    expect(panel(organiser)).to_contain_text("1 place left of 1")
    organiser.get_by_role("button", name="Going", exact=True).click()
    expect(panel(organiser)).to_contain_text("Your answer: Going.")
    expect(organiser.get_by_text("You are going.")).to_be_visible()

    log_in(member, "mira@example.org")
    member.goto(one_place)
    expect(panel(member)).to_contain_text("Full (1 place)")
    member.get_by_role("button", name="Going", exact=True).click()
    expect(panel(member)).to_contain_text("You are 1st on the waitlist.")
    member.set_viewport_size({"width": 1280, "height": 900})
    check_page(member)
    shoot(member, "rsvp-waitlisted-1280")
    # Marks this very document: a reload would lose it.
    member.evaluate("window.stillTheSamePage = true")

    # The organiser sees the waitlist grow without reloading either.
    expect(panel(organiser)).to_contain_text("1 on the waitlist", timeout=6000)
    organiser.get_by_role("button", name="Not going", exact=True).click()
    expect(panel(organiser)).to_contain_text("Your answer: Not going.")

    # Within five seconds (the panel polls every three), through whichever worker.
    expect(panel(member)).to_contain_text("Your answer: Going.", timeout=6000)
    expect(member.get_by_text("A place freed up: you are going to Moonlit walk.")).to_be_visible()
    expect(panel(member)).not_to_contain_text("waitlist")
    assert member.evaluate("window.stillTheSamePage") is True
    member.set_viewport_size({"width": 320, "height": 800})
    check_page(member)
    shoot(member, "rsvp-promoted-320")

    # The promotion email, once, with a link (on gunicorn's address) that opens the event.
    received = mailbox.messages("mira@example.org")
    assert [message["Subject"] for message in received] == [
        "You're on the waitlist for Moonlit walk",
        "A place opened up: you're going to Moonlit walk",
    ]
    event_url = server.url + one_place
    assert f"See the event: {event_url}" in mailbox.text(received[-1]).splitlines()
    member.goto(event_url)
    expect(member.get_by_role("heading", name="Moonlit walk", level=1)).to_be_visible()
    expect(panel(member)).to_contain_text("Your answer: Going.")

    # Both worker processes served this: it is Redis, not a process, that keeps versions.
    assert len(server.worker_pids("")) == 2
    assert errors == []
    organiser_context.close()
    member_context.close()


def test_answering_works_with_javascript_off(app, browser, live_server, one_place):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "mira@example.org")
    page.goto(one_place)
    assert page.locator("section.rsvp-panel").get_attribute("hx-trigger") == "every 3s"
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.get_by_text("You are going.")).to_be_visible()
    expect(panel(page)).to_contain_text("Your answer: Going.")
    page.get_by_role("button", name="Maybe", exact=True).click()
    expect(panel(page)).to_contain_text("Your answer: Maybe.")
    expect(panel(page)).to_contain_text("1 place left of 1")
    context.close()


def test_the_event_page_passes_axe_at_both_widths(app, page, one_place, console_errors):
    log_in(page, "mira@example.org")
    page.goto(one_place)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page)
    # While the panel polls, htmx marks it as busy: its buttons must not dim every few
    # seconds (a flicker, and too little contrast for whoever looks just then).
    opacity = page.evaluate(
        """() => {
            const panel = document.querySelector("section.rsvp-panel");
            panel.classList.add("htmx-request");
            const seen = getComputedStyle(panel.querySelector("button[type=submit]")).opacity;
            panel.classList.remove("htmx-request");
            return seen;
        }"""
    )
    assert opacity == "1"
    assert console_errors == []


def test_an_organiser_takes_someone_off_after_a_confirmation(app, page, one_place, console_errors):
    with app.app_context():
        event = db.session.get(Event, int(one_place.split("/")[2].split("-")[0]))
        kai = make_user(email="kai@example.org", first_name="Kai", last_name="Berg")
        add_member(event.group, kai)
        for email in ("mira@example.org", "kai@example.org"):
            person = db.session.scalar(sa.select(User).where(User.email == email))
            answer_event(person, event, "going")
            db.session.commit()
    log_in(page, "olu@example.org")
    page.goto(one_place)
    page.get_by_role("link", name="See who is coming").click()
    expect(page.get_by_role("heading", name="On the waitlist (1)")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Remove Mira Sato").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Take Mira Sato off the list?")).to_be_visible()
    check_page(page)
    shoot(page, "rsvp-remove-dialog")
    dialog.get_by_role("button", name="Take Mira Sato off").click()
    expect(page.get_by_text("Mira Sato is off the list of Moonlit walk.")).to_be_visible()
    going = page.locator("section", has=page.get_by_role("heading", name="Going (1)"))
    expect(going).to_contain_text("Kai Berg")
    expect(page.get_by_role("heading", name="On the waitlist (0)")).to_be_visible()
    shoot(page, "rsvp-attendees-1280")
    assert console_errors == []


def places(page, event_id):
    return page.locator(f"#event-places-{event_id}")


def test_the_places_line_follows_an_answer_here_and_on_an_open_page_elsewhere(
    app, browser, live_server
):
    """Two events (the other with other counts); Mira answers one, and its "Places" line
    says what the panel says at once, without a reload, and on Olu's open page within
    the panel's poll."""
    with app.app_context():
        olu = make_user(email="olu.places@example.org", first_name="Olu", last_name="Adeyemi")
        mira = make_user(email="mira.places@example.org", first_name="Mira", last_name="Sato")
        group = make_group(olu, name="Lock Keepers")
        add_member(group, mira)
        other = make_event(group, title="Boat race", capacity=9)
        answer_event(olu, other, "going")
        walk = make_event(group, title="Lock walk", capacity=2)
        db.session.commit()
        walk_path, walk_id = f"/events/{walk.id}-lock-walk", walk.id
    member_context = browser.new_context(base_url=live_server)
    organiser_context = browser.new_context(base_url=live_server)
    member, organiser = member_context.new_page(), organiser_context.new_page()
    log_in(member, "mira.places@example.org")
    log_in(organiser, "olu.places@example.org")
    for page in (member, organiser):
        page.goto(walk_path)
        expect(places(page, walk_id)).to_contain_text("2 places left of 2 · 0 going")
        page.evaluate("window.stillTheSamePage = true")

    member.get_by_role("button", name="Going", exact=True).click()

    expect(panel(member)).to_contain_text("Your answer: Going.")
    expect(panel(member)).to_contain_text("1 going · 1 place left of 2")
    expect(places(member, walk_id)).to_contain_text("1 place left of 2 · 1 going")
    # Within the panel's poll (every three seconds), on the other person's open page.
    expect(places(organiser, walk_id)).to_contain_text("1 place left of 2 · 1 going", timeout=6000)
    expect(panel(organiser)).to_contain_text("1 going · 1 place left of 2")
    for page in (member, organiser):
        assert page.evaluate("window.stillTheSamePage") is True
    check_both_widths(member, "rsvp-places-answered")
    member_context.close()
    organiser_context.close()
