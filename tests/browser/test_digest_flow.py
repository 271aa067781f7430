"""The digest from choosing it to leaving a group out of it, in Chromium. Mira, a member
in Madrid of the Walkers and the Choir, opens Settings, finds her digest weekly and
covering both groups, makes it daily and leaves the Choir out. At her next 08:05 the
digest goes: it tells of the Walkers' new event and not of the Choir's; its event link
opens the event, and its "Leave Walkers out of your digest" link opens a page that alone
changes nothing, whose button leaves the Walkers out too. Every page passes axe-core,
light and dark, at 1280 px and 320 px. Without JavaScript, the choices save as a plain
form that comes back to the section.
"""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import DESKTOP_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from webapp.digest.models import DigestGroupLeftOut, DigestSetting, Frequency
from webapp.digest.sending import sweep_due_digests
from webapp.extensions import db

pytestmark = pytest.mark.browser

DESKTOP = {"width": DESKTOP_WIDTH, "height": 800}
MADRID = "Europe/Madrid"
SAVED = "Your digest choices are saved."


@pytest.fixture
def digests_on(app, monkeypatch):
    # The test config turns the sweep off, so no other test's clock sends digests.
    monkeypatch.setitem(app.config, "DIGESTS", True)


@pytest.fixture
def mira(app, digests_on):
    """Mira in Madrid, a member of the Walkers and the Choir, each with an event published
    now and a week ahead."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        mira = make_user(email="mira@example.org", first_name="Mira", time_zone=MADRID)
        ids = {"mira": mira.id}
        for name, slug, title in [
            ("Walkers", "walkers", "Lantern walk"),
            ("Choir", "choir", "Winter rehearsal"),
        ]:
            group = make_group(owner, name=name, slug=slug)
            add_member(group, mira)
            make_event(group, title=title)
            ids[slug] = group.id
        return ids


def stored(app, user_id):
    """(the frequency stored, or None for the default, and the ids of the groups left out)."""
    with app.app_context():
        setting = db.session.get(DigestSetting, user_id)
        left_out = db.session.scalars(
            sa.select(DigestGroupLeftOut.group_id).where(DigestGroupLeftOut.user_id == user_id)
        )
        return (setting.frequency if setting else None), set(left_out)


def next_five_past_eight(zone_name):
    """The next 08:05 on zone_name's clock, in UTC: the sweep finds a daily digest due."""
    zone = ZoneInfo(zone_name)
    local = datetime.now(zone)
    day = local.date() if local.time() < time(8, 5) else local.date() + timedelta(days=1)
    return datetime.combine(day, time(8, 5), tzinfo=zone).astimezone(UTC)


def open_digest_settings(page):
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Digest", level=2)).to_be_visible()
    return page.get_by_role("group", name="Send me a digest"), page.get_by_role(
        "group", name="Groups it covers"
    )


def link_after(label, text):
    return re.search(rf"{re.escape(label)}: (\S+)", text).group(1)


def test_a_member_chooses_a_daily_digest_gets_it_and_leaves_a_group_out(app, page, mailbox, mira):
    page.set_viewport_size(DESKTOP)
    log_in(page, "mira@example.org")
    how_often, groups = open_digest_settings(page)
    expect(how_often.get_by_label("Weekly, on Monday morning")).to_be_checked()
    expect(groups.get_by_label("Walkers")).to_be_checked()
    expect(groups.get_by_label("Choir")).to_be_checked()
    expect(groups).to_have_accessible_description(
        "Events, polls, tasks and announcements of the groups ticked."
    )
    check_both_widths(page, "digest-settings")

    how_often.get_by_label("Daily, every morning").check()
    groups.get_by_label("Choir").uncheck()
    # A full page load would lose this: htmx must swap the section in place.
    page.evaluate("() => { window.stayedOnPage = true; }")
    with page.expect_response(re.compile(r"/settings/digest$")) as answer:
        page.get_by_role("button", name="Save digest choices").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert page.evaluate("() => window.stayedOnPage") is True
    # The section came back in place, showing what is now stored.
    expect(how_often.get_by_label("Daily, every morning")).to_be_checked()
    expect(groups.get_by_label("Choir")).not_to_be_checked()
    expect(groups.get_by_label("Walkers")).to_be_checked()
    check_both_widths(page, "digest-settings-saved")
    assert stored(app, mira["mira"]) == (Frequency.DAILY, {mira["choir"]})

    with app.app_context():
        assert sweep_due_digests(next_five_past_eight(MADRID)) >= 1
    (digest,) = mailbox.messages("mira@example.org")
    assert digest["Subject"] == "Your day on Hearth"
    text = mailbox.text(digest)
    html = digest.get_body(preferencelist=("html",)).get_content()
    assert "Lantern walk" in text and "Lantern walk" in html
    for body in (text, html):
        assert "Choir" not in body and "Winter rehearsal" not in body
    event_link = re.search(r"- Lantern walk \(Walkers\), [^\n]+\n\s+(\S+)", text).group(1)
    leave_out_link = link_after("Leave Walkers out of your digest", text)

    page.goto(event_link)
    expect(page.get_by_role("heading", name="Lantern walk", level=1)).to_be_visible()

    page.goto(leave_out_link)
    expect(
        page.get_by_role("heading", name="Unsubscribe from news of Walkers in your digest")
    ).to_be_visible()
    check_both_widths(page, "digest-leave-out")
    assert stored(app, mira["mira"]) == (Frequency.DAILY, {mira["choir"]})

    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    expect(
        page.get_by_text("Hearth will no longer email you news of Walkers in your digest.")
    ).to_be_visible()
    check_both_widths(page, "digest-left-out")
    assert stored(app, mira["mira"]) == (Frequency.DAILY, {mira["choir"], mira["walkers"]})

    # Where to take it back: the digest's section, which shows both groups unticked.
    page.get_by_role("link", name="your settings").click()
    expect(page).to_have_url(re.compile(r"/settings#digest$"))
    groups = page.get_by_role("group", name="Groups it covers")
    expect(groups.get_by_label("Walkers")).not_to_be_checked()
    expect(groups.get_by_label("Choir")).not_to_be_checked()


def test_digest_choices_save_without_javascript(app, browser, live_server, mira):
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "mira@example.org")
    how_often, groups = open_digest_settings(page)
    how_often.get_by_label("Daily, every morning").check()
    groups.get_by_label("Choir").uncheck()
    with page.expect_response(re.compile(r"/settings/digest$")) as answer:
        page.get_by_role("button", name="Save digest choices").click()
    # A plain form: Post/Redirect/Get, back to the section.
    assert answer.value.status == 303
    assert answer.value.headers["location"] == "/settings#digest"
    expect(page).to_have_url(re.compile(r"/settings#digest$"))
    expect(page.get_by_text(SAVED)).to_be_visible()
    expect(how_often.get_by_label("Daily, every morning")).to_be_checked()
    expect(groups.get_by_label("Choir")).not_to_be_checked()
    expect(groups.get_by_label("Walkers")).to_be_checked()
    assert stored(app, mira["mira"]) == (Frequency.DAILY, {mira["choir"]})
    # (axe-core runs as a script: the test above checks these pages with JavaScript on.)
    context.close()
