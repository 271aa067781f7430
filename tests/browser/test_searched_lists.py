"""A list searched as one types and acted on in place, in Chromium: the door's people and a
group's members. A search's answer read before an action in the list committed must never
land after the action's answer and put the old state back: the organiser would see Mia
not checked in (and tap again, undoing it) or her old role. Here the network is held by
the test, so each race is run exactly, not waited for: the stale search is read from the
server before the action commits, and let go when the test says (at the door before the
action's answer, which then went to a list no longer on the page; on the members page
after it). Each time the list ends showing the action, for the query typed in the box."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import PHONE_WIDTH
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn
from webapp.extensions import db
from webapp.groups.models import Membership

pytestmark = pytest.mark.browser

PHONE = {"width": PHONE_WIDTH, "height": 800}
# Long enough for a search typed into the box to be asked (the door waits 250 ms after the
# last key, member search 300 ms) and for an answer let go to be swapped in.
SETTLE_MS = 1_000


@pytest.fixture
def walkers(app):
    """Olu owns the Canal Walkers; Zed, Mia and Ada (made in that order, so no id order
    matches the names') are members going to the walk. {"event", "slug", name: user id}."""
    with app.app_context():
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        group = make_group(olu, name="Canal Walkers")
        event = make_event(group, title="Moonlit walk")
        ids = {"event": event.id, "slug": group.slug}
        for name in ("Zed Quinn", "Mia Stone", "Ada Byron"):
            first, last = name.split()
            person = make_user(
                first_name=first, last_name=last, email=f"{first.lower()}@example.org"
            )
            add_member(group, person)
            going(event, person)
            ids[name] = person.id
        return ids


class Held:
    """Requests the test holds: each is answered when the test lets it go. fetched: read
    from the server now (a search answered from the state before the action), else not
    sent on until let go (an action not yet committed)."""

    def __init__(self, page, pattern, fetched):
        self.routes = []
        self.holding = True
        self.fetched = fetched
        page.route(pattern, self._hold)

    def _hold(self, route):
        if not self.holding:
            route.continue_()
            return
        self.routes.append((route, route.fetch() if self.fetched else None))
        if not self.holding:  # let go while it was being read
            self._answer()

    def wait_for_one(self, page):
        for _ in range(100):
            if self.routes:
                return
            page.wait_for_timeout(50)
        raise AssertionError("the request was never asked")

    def let_go(self):
        """Answer what is held, and from now on let requests through."""
        self.holding = False
        self._answer()

    def _answer(self):
        while self.routes:
            route, answer = self.routes.pop(0)
            if answer is None:
                route.continue_()
            else:
                route.fulfill(response=answer)


def door_people(page):
    return page.locator("#door-people").get_by_role("listitem")


def checked_in(app, event_id):
    with app.app_context():
        return set(
            db.session.scalars(sa.select(CheckIn.user_id).where(CheckIn.event_id == event_id))
        )


def open_door_searching_mi(page, walkers):
    log_in(page, "olu@example.org")
    page.goto(f"/events/{walkers['event']}/door")
    expect(door_people(page)).to_have_count(3)
    page.get_by_label("Find someone going").press_sequentially("mi")
    expect(page).to_have_url(re.compile(r"\?q=mi$"))
    expect(door_people(page)).to_have_count(1)
    expect(door_people(page).get_by_role("button", name="Check in Mia Stone")).to_be_visible()


def expect_mia_checked_in_for_mia(page):
    expect(page).to_have_url(re.compile(r"\?q=mia$"))
    expect(door_people(page)).to_have_count(1)
    expect(door_people(page)).to_contain_text("Checked in")
    expect(
        door_people(page).get_by_role("button", name="Undo the check-in of Mia Stone")
    ).to_be_visible()


def test_a_tap_at_the_door_is_not_lost_to_a_search_asked_before_it(
    app, browser, live_server, walkers
):
    page = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    open_door_searching_mi(page, walkers)

    search = Held(page, re.compile(r"/door\?q=mia$"), fetched=True)
    page.get_by_label("Find someone going").fill("mia")
    search.wait_for_one(page)  # read from the state before the tap
    tap = Held(page, re.compile(r"/check-in$"), fetched=False)
    page.get_by_role("button", name="Check in Mia Stone").click()
    tap.wait_for_one(page)

    # The search's answer arrives first, the tap's after it.
    search.let_go()
    page.wait_for_timeout(SETTLE_MS)
    with page.expect_response(re.compile(r"/check-in$")) as answer:
        tap.let_go()
    assert answer.value.status == 200
    expect(page.locator(".flash")).to_have_text("Mia Stone is checked in.")
    assert checked_in(app, walkers["event"]) == {walkers["Mia Stone"]}
    expect_mia_checked_in_for_mia(page)


def test_a_search_asked_while_a_tap_is_on_its_way_waits_for_it(app, browser, live_server, walkers):
    page = browser.new_context(base_url=live_server, viewport=PHONE).new_page()
    open_door_searching_mi(page, walkers)

    tap = Held(page, re.compile(r"/check-in$"), fetched=False)
    page.get_by_role("button", name="Check in Mia Stone").click()
    tap.wait_for_one(page)
    search = Held(page, re.compile(r"/door\?q=mia$"), fetched=True)
    page.get_by_label("Find someone going").fill("mia")
    page.wait_for_timeout(SETTLE_MS)  # a search sent now reads the state before the tap

    search.let_go()
    page.wait_for_timeout(SETTLE_MS)
    with page.expect_response(re.compile(r"/check-in$")):
        tap.let_go()
    expect(page.locator(".flash")).to_have_text("Mia Stone is checked in.")
    assert checked_in(app, walkers["event"]) == {walkers["Mia Stone"]}
    expect_mia_checked_in_for_mia(page)


def test_a_role_saved_is_not_put_back_on_screen_by_a_member_search_asked_before_it(
    app, browser, live_server, walkers
):
    """Here the search's answer arrives after the action's (at the door, before it)."""
    page = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}
    ).new_page()
    log_in(page, "olu@example.org")
    page.goto(f"/groups/{walkers['slug']}/manage/members")
    box = page.get_by_label("Search members")
    box.press_sequentially("mi")
    expect(page).to_have_url(re.compile(r"\?q=mi$"))
    rows = page.locator("#members-table tbody tr")
    expect(rows).to_have_count(1)

    search = Held(page, re.compile(r"/members\?q=mia$"), fetched=True)
    box.fill("mia")
    search.wait_for_one(page)

    page.get_by_label("Role of Mia Stone").select_option("organiser")
    with page.expect_response(re.compile(r"/role$")) as answer:
        page.get_by_role("button", name="Save Mia Stone's role").click()
    assert answer.value.status == 200
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(Membership.role).where(Membership.user_id == walkers["Mia Stone"])
            )
            == "organiser"
        )

    search.let_go()
    page.wait_for_timeout(SETTLE_MS)
    expect(page).to_have_url(re.compile(r"\?q=mia$"))
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Role of Mia Stone")).to_have_value("organiser")
