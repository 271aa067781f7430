"""Comments under an event in Chromium. Ana and Bo, members of the Canal Walkers, each
have the Night walk open in a browser of their own. Ana asks something (an empty comment
first: told beside the field, in place); Bo's page shows it within seconds, without a
reload. Bo answers from the Reply page; Ana's page shows the answer under her question.
Ana reports the answer; Olu, who owns the group, hides it from the group's reports; it is
gone from Ana's page within a poll. Each page passes axe-core, light and dark, at 1280 px
and 320 px. Without JavaScript (where axe-core cannot run) a member comments, edits and
removes, each form posting and coming back to the comments. In the group, Ana starts a
discussion (without a title first: told beside the fields) and Bo's answer reaches her
page live; the list, the form and the discussion pass axe-core as above."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}
# Two polls of the live part, and the answer's way back.
LIVE_MS = 10_000


@pytest.fixture
def walk(app):
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        group = make_group(olu, name="Canal Walkers")
        make_event(group, title="First walk")
        event = make_event(group, title="Night walk", capacity=10)
        for first, last in (("Ana", "Ruiz"), ("Bo", "Chen")):
            add_member(
                group,
                make_user(email=f"{first.lower()}@example.org", first_name=first, last_name=last),
            )
        return {"event": event.id, "url": f"/events/{event.id}-night-walk", "slug": group.slug}


def opened(browser, live_server, email, url, javascript=True):
    page = browser.new_context(
        base_url=live_server, viewport=PHONE, java_script_enabled=javascript
    ).new_page()
    log_in(page, email)
    page.goto(url)
    return page


def test_two_members_talk_and_an_organiser_hides_an_answer(browser, live_server, walk):
    ana = opened(browser, live_server, "ana@example.org", walk["url"])
    bo = opened(browser, live_server, "bo@example.org", walk["url"])
    section = ana.locator(f"#comments-{walk['event']}")
    expect(section.get_by_text("No comments yet.")).to_be_visible()

    ana.evaluate("() => { window.stayedOnPage = true; }")
    section.get_by_role("button", name="Post the comment").click()
    expect(section.locator(".field-error")).to_have_text("Write something first.")
    check_both_widths(ana, "comments-refused")
    ana.set_viewport_size(PHONE)
    section.get_by_label("Your comment", exact=True).fill("Is there **parking** by the lock?")
    section.get_by_role("button", name="Post the comment").click()
    expect(ana.locator(".flash")).to_have_text("Your comment is posted.")
    expect(section.get_by_label("Your comment", exact=True)).to_have_value("")
    assert ana.evaluate("() => window.stayedOnPage") is True

    # Bo's page, untouched since it opened, brings it in.
    question = bo.locator("article.comment").filter(has_text="Is there parking by the lock?")
    expect(question).to_be_visible(timeout=LIVE_MS)
    expect(question.locator("strong", has_text="parking")).to_be_visible()
    check_both_widths(bo, "comments-live")
    bo.set_viewport_size(PHONE)
    question.get_by_role("link", name="Reply to Ana Ruiz").click()
    expect(bo.get_by_role("heading", name="Reply", level=1)).to_be_visible()
    check_both_widths(bo, "comments-reply")
    bo.set_viewport_size(PHONE)
    bo.get_by_label("Your reply").fill("Yes, behind the pub.")
    bo.get_by_role("button", name="Post the reply").click()
    expect(bo).to_have_url(re.compile(rf"/events/{walk['event']}/comments#comment-\d+$"))
    expect(bo.get_by_text("Yes, behind the pub.")).to_be_visible()

    answer = ana.locator(".comment-replies article.comment").filter(has_text="behind the pub")
    expect(answer).to_be_visible(timeout=LIVE_MS)

    # Ana reports Bo's answer; Olu hides it from the group's reports; Ana's page (open all
    # along) loses it within a poll, her question stays.
    reporter = ana.context.new_page()
    reporter.goto(walk["url"])
    reporter.get_by_role("link", name="Report the comment by Bo Chen").click()
    reporter.get_by_label("Off-topic").check()
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.locator(".flash")).to_contain_text("Thank you.")
    reporter.close()

    olu = opened(browser, live_server, "olu@example.org", f"/groups/{walk['slug']}/manage/reports")
    expect(olu.get_by_text("Yes, behind the pub.")).to_be_visible()
    check_both_widths(olu, "comments-reported")
    olu.get_by_role("button", name="Hide the comment").click()
    expect(olu.locator(".flash")).to_contain_text("Hidden")
    expect(answer).to_have_count(0, timeout=LIVE_MS)
    expect(ana.get_by_text("Is there parking by the lock?")).to_be_visible()
    olu.goto(walk["url"])
    expect(olu.locator("article.comment.is-hidden")).to_contain_text("Hidden by an organiser")
    check_both_widths(olu, "comments-moderated")


def test_comments_without_javascript(browser, live_server, walk):
    comments = f"/events/{walk['event']}/comments"
    ana = opened(browser, live_server, "ana@example.org", walk["url"], javascript=False)
    ana.get_by_label("Your comment", exact=True).fill("Bring a torch")
    with ana.expect_response(lambda response: response.request.method == "POST") as posted:
        ana.get_by_role("button", name="Post the comment").click()
    assert posted.value.status == 303
    expect(ana).to_have_url(re.compile(rf"{comments}#comment-\d+$"))
    expect(ana.locator(".flash")).to_have_text("Your comment is posted.")
    ana.get_by_role("link", name="Edit your comment").click()
    ana.get_by_label("Your comment", exact=True).fill("Bring a torch and a coat")
    with ana.expect_response(re.compile(r"/edit$")) as edited:
        ana.get_by_role("button", name="Save the comment").click()
    assert edited.value.status == 303
    expect(ana.get_by_text("Bring a torch and a coat")).to_be_visible()
    expect(ana.locator("article.comment")).to_contain_text("edited")
    with ana.expect_response(re.compile(r"/remove$")) as removed:
        ana.get_by_role("button", name="Remove your comment").click()
    assert removed.value.status == 303
    expect(ana.get_by_text("This comment was removed by its author.")).to_be_visible()
    expect(ana.get_by_text("Bring a torch and a coat")).to_have_count(0)


def test_a_member_starts_a_discussion_in_the_group(browser, live_server, walk):
    ana = opened(browser, live_server, "ana@example.org", f"/groups/{walk['slug']}")
    talk = ana.locator("section.group-talk")
    expect(talk.get_by_text("No discussions yet.")).to_be_visible()
    talk.get_by_role("button", name="Start a discussion").click()
    expect(ana.get_by_role("heading", name="Start a discussion", level=1)).to_be_visible()
    ana.get_by_role("button", name="Start the discussion").click()
    expect(ana.locator("#new-discussion .field-error").first).to_be_visible()
    check_both_widths(ana, "discussion-refused")
    ana.set_viewport_size(PHONE)
    ana.get_by_label("Title").fill("Night walk routes")
    ana.get_by_label("What would you like to talk about?").fill("The towpath or the park?")
    ana.get_by_role("button", name="Start the discussion").click()
    expect(ana.get_by_role("heading", name="Night walk routes", level=1)).to_be_visible()
    expect(ana.get_by_text("The towpath or the park?")).to_be_visible()
    check_both_widths(ana, "discussion")

    bo = opened(browser, live_server, "bo@example.org", f"/groups/{walk['slug']}/discussions")
    bo.get_by_role("link", name="Night walk routes").click()
    bo.get_by_label("Your comment", exact=True).fill("The park: it has lights.")
    bo.get_by_role("button", name="Post the comment").click()
    expect(bo.locator(".flash")).to_have_text("Your comment is posted.")
    expect(ana.get_by_text("The park: it has lights.")).to_be_visible(timeout=LIVE_MS)
    olu = opened(browser, live_server, "olu@example.org", f"/groups/{walk['slug']}/discussions")
    check_both_widths(olu, "discussions")
