"""Answering without an account, in Chromium, then the door. Gus has no account: on his
phone (320 px) he opens the picnic's page, follows "answer without an account", gives his
name and address and answers Going. Nothing is held until he follows the emailed link; he
does, confirms with one tap, and lands on his own page with his door pass. At the picnic,
Olu has the door open on phone A; Bea opens the link in Gus's QR code on phone B, as a
camera app would, and one tap checks him in; phone A's count follows within seconds,
without a reload. Every page passes axe-core, light and dark, at 1280 px and 320 px.
Without JavaScript, the same answer and confirmation are plain forms."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.tasks.factories import going
from webapp.accounts.models import User
from webapp.events.checkin.models import CheckIn
from webapp.events.checkin.passes import scan_url
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}
# The door's counts poll every 3 s: a change on one phone reaches another within two polls.
LIVE_TIMEOUT = 10_000


@pytest.fixture
def picnic(app):
    """Olu and Bea organise the Picnickers, a public group that takes guests; Amy, a
    member, is going to the picnic. {"event": id, "url": the event's page}."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        bea = make_user(email="bea@example.org", first_name="Bea", last_name="Lund")
        amy = make_user(email="amy@example.org", first_name="Amy", last_name="Reed")
        group = make_group(olu, name="Picnickers", allows_guests=True)
        add_member(group, bea, role="organiser")
        add_member(group, amy)
        make_event(group, title="Kite day")
        event = make_event(group, title="Park picnic", capacity=10)
        going(event, amy)
        return {"event": event.id, "url": f"/events/{event.id}-park-picnic"}


def confirm_path(app, mailbox, to):
    text = mailbox.text(mailbox.last(to))
    url = re.search(r"https?://\S+/events/\d+/as-guest/confirm/\S+", text).group(0)
    return url.removeprefix(app.config["BASE_URL"])


def guest_id(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email_normalized == email))


def answers_of(app, event_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Rsvp).where(Rsvp.event_id == event_id)
        )


def counts(page):
    return page.locator("#door-counts")


def test_a_guest_answers_confirms_from_email_and_is_checked_in_at_the_door(
    app, browser, live_server, mailbox, picnic
):
    gus = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    gus.goto(picnic["url"])
    gus.get_by_role("link", name="answer without an account").click()
    expect(gus.get_by_role("heading", name="Answer without an account", level=1)).to_be_visible()
    check_both_widths(gus, "guest-answer")
    gus.set_viewport_size(PHONE)

    # A mistake first: the message sits by its field and what he typed survives.
    gus.get_by_label("Your name").fill("Gus Guest")
    gus.get_by_label("Your email address").fill("not an address")
    gus.get_by_role("button", name="Email me the link").click()
    expect(gus.locator("#email-error")).to_be_visible()
    expect(gus.get_by_label("Your name")).to_have_value("Gus Guest")
    check_both_widths(gus, "guest-answer-error")
    gus.set_viewport_size(PHONE)

    gus.get_by_label("Your email address").fill("Gus@example.org")
    gus.get_by_label("Going").check()
    gus.get_by_role("button", name="Email me the link").click()
    expect(gus.locator(".flash")).to_contain_text("Check your inbox")
    expect(gus).to_have_url(re.compile(rf"/events/{picnic['event']}-park-picnic$"))
    # Asked, not answered: only Amy's answer so far.
    assert answers_of(app, picnic["event"]) == 1

    gus.goto(confirm_path(app, mailbox, "Gus@example.org"))
    expect(gus.get_by_role("heading", name="Confirm your answer")).to_be_visible()
    check_both_widths(gus, "guest-confirm")
    gus.set_viewport_size(PHONE)
    gus.get_by_role("button", name="Confirm my answer").click()
    expect(gus.get_by_role("heading", name="Your answer", level=1)).to_be_visible()
    expect(gus.locator(".flash")).to_have_text("You are going.")
    code = gus.get_by_role("img", name="Door pass of Gus Guest for Park picnic")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    check_both_widths(gus, "guest-own-page")
    assert answers_of(app, picnic["event"]) == 2

    # At the door: Olu's phone shows the counts, live.
    phone_a = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(phone_a, "olu@example.org")
    phone_a.goto(f"/events/{picnic['event']}/door")
    expect(counts(phone_a)).to_have_text("0 of 2 going checked in")
    phone_a.evaluate("() => { window.stayedOnPage = true; }")

    # Bea's phone opens what Gus's code holds, as a camera app would.
    with app.app_context(), app.test_request_context():
        held = scan_url(picnic["event"], guest_id(app, "gus@example.org"))
    phone_b = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(phone_b, "bea@example.org")
    phone_b.goto(held.removeprefix(app.config["BASE_URL"]))
    expect(phone_b.get_by_role("heading", name="Gus Guest", level=1)).to_be_visible()
    check_both_widths(phone_b, "guest-scan")
    phone_b.set_viewport_size(PHONE)
    phone_b.get_by_role("button", name="Check in Gus Guest").click()
    expect(phone_b.locator(".flash")).to_have_text("Gus Guest is checked in.")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1

    expect(counts(phone_a)).to_have_text("1 of 2 going checked in", timeout=LIVE_TIMEOUT)
    assert phone_a.evaluate("() => window.stayedOnPage") is True
    for context in (gus.context, phone_a.context, phone_b.context):
        context.close()


def test_a_guest_answers_and_withdraws_without_javascript(
    app, browser, live_server, mailbox, picnic
):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/events/{picnic['event']}/as-guest")
    page.get_by_label("Your name").fill("Ida Quill")
    page.get_by_label("Your email address").fill("ida@example.org")
    page.get_by_label("Maybe").check()
    with page.expect_response(re.compile(r"/as-guest$")) as sent:
        page.get_by_role("button", name="Email me the link").click()
    assert sent.value.status == 303
    expect(page.locator(".flash")).to_contain_text("Check your inbox")

    page.goto(confirm_path(app, mailbox, "ida@example.org"))
    page.get_by_role("button", name="Confirm my answer").click()
    expect(page.get_by_role("heading", name="Your answer", level=1)).to_be_visible()
    expect(page.locator(".rsvp-mine")).to_contain_text("Maybe")
    own = page.url

    # The buttons are a plain form: Post/Redirect/Get back to the same page.
    page.get_by_role("button", name="Not going").click()
    expect(page).to_have_url(own)
    expect(page.locator(".flash")).to_have_text("You are not going.")
    expect(page.locator(".rsvp-mine")).to_contain_text("Not going")
    context.close()
