"""Tasks and feedback in Chromium. An organiser adds a task on the event's tasks page
(the form swaps the list), edits it in place; a member takes it and marks it done (the
row swaps itself) and finds it gone from My tasks; after an event that has ended, the
member leaves feedback and the organiser sees it. Taking and marking done work with
JavaScript off. Every page visited passes axe-core at 320 and 1280 px."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_both_widths, check_page, shoot, watch_console
from tests.browser.test_rsvp_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.tasks.factories import ended_event, going, make_feedback, make_task

pytestmark = pytest.mark.browser


@pytest.fixture
def lanterns(app):
    """Olu organises the Lantern Makers; Mira and Kai make lanterns with them. The
    Lantern night is next week; the Spring walk ended yesterday, Mira and Kai went, and
    Kai has said how it was."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Adeyemi")
        mira = make_user(email="mira@example.org", first_name="Mira", last_name="Sato")
        kai = make_user(email="kai@example.org", first_name="Kai", last_name="Berg")
        group = make_group(olu, name="Lantern Makers")
        add_member(group, mira)
        add_member(group, kai)
        night = make_event(group, title="Lantern night")
        make_task(
            night, title="Paper and glue", due_on=(night.starts_at - timedelta(days=1)).date()
        )
        walk = ended_event(group, title="Spring walk")
        going(walk, mira)
        going(walk, kai)
        make_feedback(walk, kai, 5, "The river at dusk!")
        return {
            "event": f"/events/{night.id}-lantern-night",
            "tasks": f"/events/{night.id}/tasks",
            "walk": f"/events/{walk.id}-spring-walk",
            "feedback": f"/events/{walk.id}/feedback",
        }


def task_row(page, title):
    return page.locator("article.task", has_text=title)


def person(browser, live_server, email, errors):
    """A browser of its own for email, logged in."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    watch_console(page, errors)
    log_in(page, email)
    return page


def test_add_take_done_and_feedback(browser, live_server, lanterns):
    errors = []
    # The organiser goes from the event's page to its tasks and adds one.
    page = organiser = person(browser, live_server, "olu@example.org", errors)
    page.goto(lanterns["event"])
    page.get_by_role("link", name="Tasks", exact=True).click()
    expect(page.get_by_role("heading", name="Who brings what")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("What needs doing").fill("Bring candles")
    page.locator("#notes").fill("Tea lights, about forty")
    page.get_by_role("button", name="Add the task").click()
    expect(task_row(page, "Bring candles")).to_contain_text("anyone can take it")
    expect(page.get_by_text("“Bring candles” is on the list.")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    check_both_widths(page, "task-organiser")

    # An edit in place of the row.
    page.get_by_role("button", name="Edit “Bring candles”").click()
    page.locator("#edit-title").fill("Bring candles and matches")
    page.get_by_role("button", name="Save").first.click()
    expect(task_row(page, "Bring candles and matches")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    # Deleting asks first, in a dialog.
    page.get_by_role("button", name="Delete “Paper and glue”").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Delete “Paper and glue”?")).to_be_visible()
    check_page(page)
    shoot(page, "task-delete-dialog")
    dialog.get_by_role("button", name="Keep it").click()
    expect(task_row(page, "Paper and glue")).to_be_visible()
    page.get_by_role("button", name="Delete “Paper and glue”").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete the task").click()
    expect(page.get_by_text("“Paper and glue” is deleted.")).to_be_visible()
    expect(task_row(page, "Paper and glue")).to_have_count(0)

    # A member takes it and marks it done; the row swaps itself each time.
    page = person(browser, live_server, "mira@example.org", errors)
    page.goto(lanterns["tasks"])
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Take “Bring candles and matches”").click()
    row = task_row(page, "Bring candles and matches")
    expect(row).to_contain_text("You")
    page.goto("/tasks")
    expect(page.get_by_role("link", name="Bring candles and matches")).to_be_visible()
    check_both_widths(page, "task-mine")
    page.go_back()
    page.get_by_role("button", name="Mark “Bring candles and matches” done").click()
    expect(task_row(page, "Bring candles and matches")).to_contain_text("Done")
    check_both_widths(page, "task-member")
    page.goto("/tasks")
    expect(page.get_by_text("No open tasks.")).to_be_visible()

    # After the walk, the member leaves feedback.
    page.goto(lanterns["walk"])
    page.get_by_role("link", name="Feedback", exact=True).click()
    expect(page.get_by_role("heading", name="How was it?")).to_be_visible()
    page.get_by_label("4 — good").check()
    page.get_by_label("Comment").fill("Lovely, if a bit cold")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(page.get_by_role("heading", name="Your feedback")).to_be_visible()
    check_both_widths(page, "task-feedback-member")

    # The organiser sees it: the average, the spread and the comments with their names.
    page = organiser
    page.goto(lanterns["feedback"])
    expect(page.get_by_text("4.5 out of 5")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name="4 out of 5")).to_contain_text("1")
    expect(page.get_by_text("Lovely, if a bit cold")).to_be_visible()
    expect(page.locator(".feedback-comments")).to_contain_text("Mira Sato")
    check_both_widths(page, "task-feedback-organiser")
    assert errors == []


def test_taking_and_marking_done_work_with_javascript_off(browser, live_server, lanterns):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "kai@example.org")
    page.goto(lanterns["tasks"])
    page.get_by_role("button", name="Take “Paper and glue”").click()
    expect(page.get_by_text("“Paper and glue” is yours. Thank you!")).to_be_visible()
    page.get_by_role("button", name="Mark “Paper and glue” done").click()
    expect(page.get_by_text("“Paper and glue” is done.")).to_be_visible()
    expect(task_row(page, "Paper and glue")).to_contain_text("Done")
    page.get_by_role("button", name="Give “Paper and glue” back").click()
    expect(task_row(page, "Paper and glue")).to_contain_text("anyone can take it")
    # Feedback too: a plain form that posts and comes back.
    page.goto(lanterns["feedback"])
    page.get_by_label("3 — fine").check()
    page.get_by_role("button", name="Save my feedback").click()
    expect(page.get_by_text("Your feedback is saved.")).to_be_visible()
    context.close()
