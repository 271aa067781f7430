"""The main flows once in Spanish: a member whose setting is Spanish answers an event,
votes in a poll and takes a task; every page and fragment is in Spanish, passes axe-core
in light and dark and reflows at 320 and 1280 px. The words looked for are the
catalogue's, so a better translation does not break the test."""

import pytest
from flask_babel import force_locale, gettext, ngettext, pgettext
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser.conftest import check_both_widths
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll
from tests.tasks.factories import make_task

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish(app):
    """What the Spanish catalogue says for a message (gettext, ngettext or pgettext)."""

    def say(function, *args, **kwargs):
        with app.test_request_context("/"), force_locale("es"):
            return function(*args, **kwargs)

    return say


@pytest.fixture
def rowers(app):
    """Lucía (Spanish) rows with the Night Rowers: an event with places, a poll, a task."""
    with app.app_context():
        olga = make_user(email="olga@example.org", first_name="Olga")
        lucia = make_user(email="lucia@example.org", first_name="Lucía", language="es")
        group = make_group(olga, name="Night Rowers")
        add_member(group, lucia)
        event = make_event(group, title="Moonlit row", capacity=4)
        poll = make_poll(group, question="River or lake?", labels=("River", "Lake"))
        make_task(event, title="Bring oars")
        return {"event": f"/events/{event.id}-moonlit-row", "poll": f"/polls/{poll.id}"}


def log_in_in_spanish(page):
    page.goto("/login")
    page.get_by_label("Email").fill("lucia@example.org")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_a_spanish_member_answers_votes_and_takes_a_task(page, rowers, spanish):
    log_in_in_spanish(page)
    check_both_widths(page)

    page.goto(rowers["event"])
    going = spanish(pgettext, "RSVP answer", "Going")
    page.get_by_role("button", name=going, exact=True).click()
    panel = page.locator("section.rsvp-panel")
    expect(panel.get_by_role("button", name=going, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    left = spanish(
        ngettext,
        "%(count)s place left of %(capacity)s",
        "%(count)s places left of %(capacity)s",
        3,
        count=3,
        capacity=4,
    )
    expect(panel).to_contain_text(left)
    check_both_widths(page)

    page.goto(rowers["poll"])
    page.get_by_label("Lake").check()
    page.get_by_role("button", name=spanish(gettext, "Vote"), exact=True).click()
    expect(page.get_by_role("button", name=spanish(gettext, "Change my vote"))).to_be_visible()
    check_both_widths(page)

    page.goto(rowers["event"].split("-", 1)[0] + "/tasks")
    page.get_by_role(
        "button", name=spanish(gettext, "Take “%(title)s”", title="Bring oars")
    ).click()
    expect(
        page.get_by_role(
            "button", name=spanish(gettext, "Give “%(title)s” back", title="Bring oars")
        )
    ).to_be_visible()
    check_both_widths(page)
