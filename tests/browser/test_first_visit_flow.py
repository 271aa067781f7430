"""The stumbles of a first visit, in Chromium: making an owner asks first, leaving asks first
and says what coming back takes, search as you type leaves one history entry and says how many
match, the time zone comes from the browser, and keyboard users can skip to the content."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_page, log_in
from tests.groups.factories import add_member, make_group
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Membership

pytestmark = pytest.mark.browser


def role_of(app, email, slug):
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email, Membership.group.has(slug=slug))
        )


@pytest.fixture
def choir(app):
    """Cleo owns the Harbour Choir (joining needs approval); Dev and Ema sing in it."""
    with app.app_context():
        cleo = make_user(email="cleo@example.org", first_name="Cleo", last_name="Ward")
        dev = make_user(email="dev@example.org", first_name="Dev", last_name="Rao")
        ema = make_user(email="ema@example.org", first_name="Ema", last_name="Berg")
        group = make_group(cleo, name="Harbour Choir", slug="harbour-choir", join_policy="approval")
        add_member(group, dev)
        add_member(group, ema)
    return "harbour-choir"


def test_making_an_owner_needs_save_and_a_confirmation(app, page, choir, console_errors):
    log_in(page, "cleo@example.org")
    page.goto(f"/groups/{choir}/manage/members")
    check_page(page)
    role = page.get_by_label("Role of Dev Rao", exact=True)

    # One arrow key on the select changes nothing until Save.
    role.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(400)
    assert role_of(app, "dev@example.org", choir) == "member"

    role.select_option("owner")
    page.get_by_role("button", name="Save Dev Rao's role").click()
    dialog = page.get_by_role("dialog", name="Make Dev Rao an owner?")
    expect(dialog).to_be_visible()
    check_page(page)
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(role).to_have_value("member")  # back to the saved role
    assert role_of(app, "dev@example.org", choir) == "member"

    role.select_option("owner")
    page.get_by_role("button", name="Save Dev Rao's role").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(role).to_have_value("member")

    role.select_option("owner")
    page.get_by_role("button", name="Save Dev Rao's role").click()
    dialog.get_by_role("button", name="Make Dev an owner").click()
    expect(page.get_by_text("Dev Rao is now owner.")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Save Dev Rao's role")).to_be_focused()
    assert role_of(app, "dev@example.org", choir) == "owner"

    # A refused change (Cleo stepping down would leave... no: Dev is an owner now) shows
    # the saved role: demote Cleo twice over by making Dev's and Cleo's roles member.
    page.get_by_label("Role of Dev Rao", exact=True).select_option("member")
    page.get_by_role("button", name="Save Dev Rao's role").click()
    expect(page.get_by_text("Dev Rao is now member.")).to_be_visible()
    mine = page.get_by_label("Role of Cleo Ward", exact=True)
    mine.select_option("member")
    page.get_by_role("button", name="Save Cleo Ward's role").click()
    expect(page.get_by_text("A group needs at least one owner.")).to_be_visible()
    expect(page.get_by_label("Role of Cleo Ward", exact=True)).to_have_value("owner")
    check_page(page)
    assert console_errors == []


def test_leaving_asks_first_and_the_last_owner_is_offered_a_transfer(
    app, page, choir, console_errors
):
    log_in(page, "ema@example.org")
    page.goto(f"/groups/{choir}")
    check_page(page)

    page.get_by_role("button", name="Leave the group").click()
    dialog = page.get_by_role("dialog", name="Leave Harbour Choir?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_text("waiting for an organiser's approval")).to_be_visible()
    check_page(page)
    dialog.get_by_role("button", name="Stay").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("You are a member of this group.")).to_be_visible()

    page.get_by_role("button", name="Leave the group").click()
    dialog.get_by_role("button", name="Leave the group").click()
    expect(page.get_by_text("You left Harbour Choir.")).to_be_visible()
    expect(page.get_by_role("button", name="Ask to join")).to_be_visible()
    # The focus did not fall to the page body with the swapped panel: it is on the new one.
    expect(page.locator(".membership-panel")).to_be_focused()
    assert role_of(app, "ema@example.org", choir) is None

    page.get_by_role("button", name="Log out").click()
    log_in(page, "cleo@example.org")
    page.goto(f"/groups/{choir}")
    expect(page.get_by_role("button", name="Leave the group")).to_have_count(0)
    page.get_by_role("button", name="Transfer ownership").click()
    expect(page).to_have_url(re.compile(rf"/groups/{choir}/manage/settings#transfer$"))
    expect(page.get_by_label("New owner")).to_be_visible()
    check_page(page)
    assert console_errors == []


def test_leaving_without_javascript_is_a_confirmation_page(page, browser, live_server, choir):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, "dev@example.org")
    plain.goto(f"/groups/{choir}")

    plain.get_by_role("button", name="Leave the group").click()
    expect(plain.get_by_role("heading", name="Leave Harbour Choir?", level=1)).to_be_visible()
    # axe needs scripts: the same page, checked in a browser that runs them.
    log_in(page, "dev@example.org")
    page.goto(plain.url)
    check_page(page)
    plain.get_by_role("button", name="Leave the group").click()
    expect(plain.get_by_text("You left Harbour Choir.")).to_be_visible()
    context.close()


def test_search_as_you_type_keeps_one_history_entry_and_counts(app, page, console_errors):
    with app.app_context():
        owner = make_user()
        for name in ("Canal Walkers", "Canal Cleaners", "Chess Club"):
            make_group(owner, name=name)
    page.goto("/")
    page.goto("/groups")
    search = page.get_by_role("searchbox", name="Search groups")

    for typed in ("c", "ca", "can", "cana", "canal"):
        search.fill(typed)
        page.wait_for_timeout(450)  # a pause longer than the 300 ms debounce
    expect(page).to_have_url(re.compile(r"/groups\?q=canal$"))
    status = page.locator('[data-status-for="group-results"]')
    expect(status).to_have_text("2 groups match")
    expect(status).to_have_attribute("role", "status")
    expect(page.get_by_role("link", name="Chess Club")).to_have_count(0)
    check_page(page)

    search.fill("chess")
    expect(status).to_have_text("1 group matches")
    page.go_back()  # one press leaves the search
    expect(page).to_have_url(re.compile(r"/$"))
    assert console_errors == []


def test_sign_up_takes_the_browser_time_zone(app, browser, live_server, mailbox):
    context = browser.new_context(base_url=live_server, timezone_id="America/Sao_Paulo")
    page = context.new_page()
    page.goto("/signup")
    page.get_by_label("Email").fill("rui@example.org")
    page.get_by_label("First name").fill("Rui")
    page.get_by_label("Last name").fill("Costa")
    page.get_by_label("Password", exact=True).fill("Harbour-Lights-55!")
    page.get_by_label("Confirm password").fill("Harbour-Lights-55!")
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    context.close()
    with app.app_context():
        assert db.session.scalar(
            sa.select(User.time_zone).where(User.email == "rui@example.org")
        ) == ("America/Sao_Paulo")


def test_keyboard_users_skip_to_the_content_and_see_where_they_are(page):
    page.goto("/groups")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Groups")).to_have_attribute("aria-current", "page")


def test_a_refused_login_takes_the_focus_to_the_error(app, page, console_errors):
    with app.app_context():
        make_user(email="ivo@example.org")
    page.goto("/login")
    page.get_by_label("Email").fill("ivo@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    error = page.get_by_role("alert").filter(has_text="The email address or password is incorrect.")
    expect(error).to_be_focused()
    check_page(page)
    assert console_errors == []
