"""Questions in Chromium. Olu asks "Any allergies?" (required), "T-shirt size?" and "What
will you bring?" (several choices, read by everyone on the list) of the Night walk's
people; Ada, going, finds them under the RSVP panel, saves without the required one (said
beside it, what she typed kept, in place with htmx), then answers all three; Olu reads her
answers on the questions page, rewords a choice she chose (her answer keeps her words),
and reads her things under her name on the list of people coming. Each page passes
axe-core, light and dark, at 1280 px and 320 px. Without JavaScript the same forms post
and come back."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}


@pytest.fixture
def walk(app):
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        group = make_group(olu, name="Canal Walkers")
        event = make_event(group, title="Night walk", capacity=10)
        ada = make_user(email="ada@example.org", first_name="Ada", last_name="Byron")
        add_member(group, ada)
        answer_event(ada, event, Answer.GOING, 0)
        db.session.commit()
        return {"event": event.id, "url": f"/events/{event.id}-night-walk"}


def section(page):
    return page.locator("#event-questions-manage")


def test_organisers_ask_and_people_going_answer(app, browser, live_server, walk):
    olu = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(olu, "olu@example.org")
    olu.goto(walk["url"])
    olu.get_by_role("button", name="Questions", exact=True).click()
    expect(olu).to_have_url(re.compile(rf"/events/{walk['event']}/questions$"))
    olu.evaluate("() => { window.stayedOnPage = true; }")
    section(olu).get_by_role("textbox", name="Question").fill("Any allergies?")
    section(olu).get_by_label("People going or waiting must answer it").check()
    section(olu).get_by_role("button", name="Add the question").click()
    expect(section(olu).get_by_role("heading", name=re.compile("Any allergies?"))).to_be_visible()
    section(olu).get_by_role("textbox", name="Question").fill("T-shirt size?")
    section(olu).get_by_role("button", name="Add the question").click()
    expect(section(olu).locator("article.question")).to_have_count(2)
    # One answered with several choices, which everyone on the list reads.
    section(olu).get_by_role("textbox", name="Question").fill("What will you bring?")
    section(olu).get_by_label("Several choices").check()
    section(olu).get_by_label("Choices, one per line").fill("Bread\nFruit\nSoup")
    section(olu).get_by_label("Everyone who sees the list of people coming").check()
    section(olu).get_by_role("button", name="Add the question").click()
    expect(section(olu).locator("article.question")).to_have_count(3)
    assert olu.evaluate("() => window.stayedOnPage") is True
    check_both_widths(olu, "questions-manage")

    ada = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    log_in(ada, "ada@example.org")
    ada.goto(walk["url"])
    questions = ada.locator("#event-questions")
    expect(questions.get_by_role("heading", name="The organisers ask")).to_be_visible()
    ada.evaluate("() => { window.stayedOnPage = true; }")
    questions.get_by_label("T-shirt size?").fill("M")
    questions.get_by_role("button", name="Save the answers").click()
    expect(questions.locator(".field-error")).to_have_text("The organisers need an answer to this.")
    expect(questions.get_by_label("T-shirt size?")).to_have_value("M")
    expect(questions.get_by_label("Any allergies?")).to_have_attribute("aria-invalid", "true")
    check_both_widths(ada, "questions-refused")
    ada.set_viewport_size(PHONE)
    questions.get_by_label("Any allergies?").fill("Hazelnuts")
    bring = questions.get_by_role("group", name="What will you bring?")
    bring.get_by_label("Soup").check()
    bring.get_by_label("Bread").check()
    questions.get_by_role("button", name="Save the answers").click()
    expect(ada.locator(".flash")).to_have_text("Your answers are saved.")
    assert ada.evaluate("() => window.stayedOnPage") is True

    olu.reload()
    expect(section(olu).locator("article.question").first).to_contain_text("Ada Byron")
    expect(section(olu).locator("article.question").first).to_contain_text("Hazelnuts")
    # Olu rewords Soup: Ada's answer keeps the words she chose.
    olu.get_by_role("button", name="Change the question “What will you bring?”").click()
    olu.get_by_label("Choices, one per line").fill("Bread\nFruit\nA soup")
    olu.get_by_role("button", name="Save the question").click()
    expect(olu).to_have_url(re.compile(rf"/events/{walk['event']}/questions$"))
    tally = section(olu).locator("article.question").nth(2)
    expect(tally).to_contain_text("Soup (no longer offered): 1")
    expect(tally).to_contain_text("A soup: 0")
    check_both_widths(olu, "questions-changed")
    # On the list of people coming, Ada's things are under her name.
    olu.goto(f"/events/{walk['event']}/attendees")
    expect(olu.locator("dl.attendee-answers").first).to_contain_text("Bread, Soup")
    check_both_widths(olu, "attendees-with-answers")

    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, "ada@example.org")
    plain.goto(f"/events/{walk['event']}/answers")
    plain.locator("#event-questions").get_by_label("T-shirt size?").fill("L")
    with plain.expect_response(re.compile(r"/answers$")) as saved:
        plain.get_by_role("button", name="Save the answers").click()
    assert saved.value.status == 303
    expect(plain).to_have_url(re.compile(rf"/events/{walk['event']}-night-walk$"))
    expect(plain.locator(".flash")).to_have_text("Your answers are saved.")
    expect(plain.locator("#event-questions").get_by_label("T-shirt size?")).to_have_value("L")
    context.close()
