"""Polls in Chromium. Two members with the poll open: one votes, and the other's page
shows the new count without a reload (the results' live poll), with the app under
gunicorn in two worker processes that share only the database and Redis; the organiser
closes the poll and the voter's result email arrives. An organiser makes a date poll's
winning slot the event's date, and the event page shows the new time; a group's date poll
makes a new event. A deleted poll leaves its group's page, and results open elsewhere say
so. Voting works with JavaScript off. Every poll page visited passes
axe-core at 320 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_both_widths, check_page, shoot, watch_console
from tests.browser.test_rsvp_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from webapp.events.times import span_text
from webapp.extensions import db
from webapp.polls.models import PollOption

pytestmark = pytest.mark.browser


def slot_dialog(page, label, button, heading, name):
    """The organiser presses button beside the slot labelled label: its dialog, checked."""
    page.locator("ul.poll-schedule li", has_text=label).get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    check_page(page)
    shoot(page, f"poll-{name}-dialog")
    return dialog


def organisers_dialog(page, button, heading):
    """The organiser presses button on the poll's page: the dialog that asks, checked."""
    page.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=heading)).to_be_visible()
    check_page(page)
    return dialog


def vote_as(page, email, poll_url, label):
    """email logs in and votes for the option labelled label, the first vote in the poll."""
    log_in(page, email)
    page.goto(poll_url)
    page.get_by_label(label).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is saved.")).to_be_visible()
    expect(results(page)).to_contain_text("1 person voted")


def results(page):
    return page.locator("section.poll-results")


@pytest.fixture
def walkers(app):
    """Olu organises the Canal Walkers; Mira and Kai walk with them. They ask where to meet
    (Park or Pub), and when to have the picnic (a date poll on the event, three slots;
    Mira said yes to the second)."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")
        mira = make_user(email="mira@example.org", first_name="Mira", last_name="Sato")
        kai = make_user(email="kai@example.org", first_name="Kai", last_name="Berg")
        group = make_group(olu, name="Canal Walkers")
        add_member(group, mira)
        add_member(group, kai)
        where = make_poll(group, question="Where do we meet?")
        event = make_event(group, title="Picnic")
        when = make_poll(
            group, event=event, slots=slots_from_now(3), question="When is the picnic?"
        )
        when.time_zone = event.time_zone
        db.session.commit()
        slots = option_ids(when)
        vote(mira, when, slot_answers={slots[1]: "yes"})
        return {
            "where": f"/polls/{where.id}",
            "when": f"/polls/{when.id}",
            "event": f"/events/{event.id}-picnic",
            "event_zone": event.zone,
            "slot": slots[1],
        }


@pytest.mark.redis
def test_a_vote_reaches_the_other_members_open_page(browser, walkers, two_workers, mailbox):
    server = two_workers
    contexts = [browser.new_context(base_url=server.url) for _ in range(3)]
    voter, watcher, organiser = (context.new_page() for context in contexts)
    errors = watch_console(voter, [])
    watch_console(watcher, errors)
    watch_console(organiser, errors)

    log_in(watcher, "kai@example.org")
    watcher.goto(walkers["where"])
    expect(results(watcher)).to_contain_text("0 people voted")
    check_both_widths(watcher, "poll-before")
    # Marks this very document: a reload would lose it.
    watcher.evaluate("window.stillTheSamePage = true")

    vote_as(voter, "mira@example.org", walkers["where"], "Park")
    check_both_widths(voter, "poll-voted")

    # Within five seconds (the results poll every three), through whichever worker.
    expect(results(watcher)).to_contain_text("1 person voted", timeout=6000)
    expect(results(watcher)).to_contain_text("1 vote (100%)")
    assert watcher.evaluate("window.stillTheSamePage") is True
    check_both_widths(watcher)

    # The organiser closes it (asked in a dialog); the voter's result email arrives, once.
    log_in(organiser, "olu@example.org")
    organiser.goto(walkers["where"])
    dialog = organisers_dialog(organiser, "Close the poll", "Close “Where do we meet?”?")
    dialog.get_by_role("button", name="Close the poll").click()
    expect(
        organiser.get_by_text("The poll is closed: its results are final, and its voters")
    ).to_be_visible()
    check_both_widths(organiser, "poll-closed")
    expect(results(watcher)).to_contain_text("(final)", timeout=6000)

    assert [m["Subject"] for m in mailbox.messages("mira@example.org")] == [
        "Poll closed: Where do we meet?"
    ]
    assert mailbox.messages("kai@example.org") == []
    assert len(server.worker_pids("")) == 2
    assert errors == []
    for context in contexts:
        context.close()


def test_the_winning_slot_becomes_the_events_date(app, page, walkers, console_errors):
    with app.app_context():
        slot = db.session.get(PollOption, walkers["slot"])
        new_time = span_text(slot.starts_at, slot.ends_at, walkers["event_zone"])
        # Olu reads the slot on his clocks, which are the poll's and the event's (UTC).
        label = new_time
    log_in(page, "olu@example.org")
    page.goto(walkers["when"])
    check_both_widths(page, "poll-date-poll")
    dialog = slot_dialog(page, label, "Make it the date", "^Move “Picnic” to", "schedule")
    dialog.get_by_role("button", name="Make it the event's date").click()

    expect(page).to_have_url(re.compile(re.escape(walkers["event"]) + "$"))
    expect(page.get_by_text("the poll is closed")).to_be_visible()
    expect(page.locator(".event-facts time")).to_have_text(new_time)
    page.goto(walkers["when"])
    expect(results(page)).to_contain_text("The event's date")
    check_both_widths(page, "poll-date-set")
    assert console_errors == []


def test_a_groups_date_poll_makes_a_new_event(app, page, walkers, console_errors):
    with app.app_context():
        group = db.session.get(PollOption, walkers["slot"]).poll.group
        poll = make_poll(group, slots=slots_from_now(2, days=14), question="Autumn walk: when?")
        poll_url, slot_id = f"/polls/{poll.id}", option_ids(poll)[0]
        slot = db.session.get(PollOption, slot_id)
        # As Olu reads it: his clocks are the poll's (UTC).
        label = span_text(slot.starts_at, slot.ends_at, poll.zone)
    log_in(page, "olu@example.org")
    page.goto(poll_url)
    dialog = slot_dialog(page, label, "Make it a new event", "^A new event on", "new-event")
    dialog.get_by_label("The event's title").fill("Autumn walk")
    dialog.get_by_role("button", name="Publish the event").click()

    expect(page.get_by_role("heading", name="Autumn walk", level=1)).to_be_visible()
    expect(page.get_by_text("is on")).to_be_visible()
    assert "This is a draft" not in page.content()
    assert console_errors == []


def test_a_deleted_poll_leaves_its_group_and_the_open_results_say_so(browser, live_server, walkers):
    contexts = [browser.new_context(base_url=live_server) for _ in range(2)]
    watcher, organiser = (context.new_page() for context in contexts)
    errors = watch_console(watcher, [])
    watch_console(organiser, errors)
    log_in(watcher, "kai@example.org")
    watcher.goto(walkers["where"])
    expect(results(watcher)).to_contain_text("0 people voted")

    log_in(organiser, "olu@example.org")
    organiser.goto(walkers["where"])
    dialog = organisers_dialog(organiser, "Delete the poll", "Delete “Where do we meet?”?")
    shoot(organiser, "poll-delete-dialog")
    dialog.get_by_role("button", name="Delete the poll").click()

    expect(organiser.get_by_text("The poll “Where do we meet?” is deleted")).to_be_visible()
    expect(organiser.get_by_role("heading", name="Canal Walkers", level=1)).to_be_visible()
    expect(organiser.get_by_role("link", name="Where do we meet?")).to_have_count(0)
    check_both_widths(organiser, "poll-deleted")
    # The member's open page hears of it without a reload, and its results stop polling.
    expect(results(watcher)).to_contain_text("This poll was deleted.", timeout=6000)
    expect(results(watcher)).not_to_have_attribute("hx-get", re.compile("."))
    assert errors == []
    for context in contexts:
        context.close()


def test_voting_works_with_javascript_off(app, browser, live_server, walkers):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    vote_as(page, "kai@example.org", walkers["where"], "Pub")
    page.get_by_label("Park").check()
    page.get_by_role("button", name="Change my vote").click()
    expect(results(page)).to_contain_text("1 person voted")
    expect(page.locator("ol.poll-bars li", has_text="Park")).to_contain_text("1 vote (100%)")
    # A date poll too: an answer per slot.
    page.goto(walkers["when"])
    page.locator("fieldset.poll-slot").first.get_by_label("If need be").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is saved.")).to_be_visible()
    expect(results(page)).to_contain_text("2 people voted")
    # (axe-core runs as a script: the other tests check these pages with JavaScript on.)
    shoot(page, "poll-no-js")
    context.close()
