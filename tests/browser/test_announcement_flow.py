"""An announcement from writing to unsubscribing, in Chromium. Olu, an organiser of the
Lantern Club, writes one from the group's page, previews it, and sends it; Mira, a member,
finds it marked New on the group's page, gets it by email, follows its link to the
announcement (which marks itself read), and then the email's unsubscribe link: the page
alone turns nothing off, its button stops the Lantern Club's announcements and no others
(the club's next one misses her, the Choir's reaches her). Then a public one: Olu ticks
Public, and a visitor finds it in the club's Atom feed, linked from the group's page, and
reads it with no account, until Olu makes it members-only (asked first in the dialog):
then neither its page nor the feed shows it to the visitor. Every page passes axe-core,
light and dark, at 1280 px and 320 px."""

import re

import feedparser
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.announcements.support import announcement_data, subjects_to
from tests.browser.conftest import DESKTOP_WIDTH, check_both_widths
from tests.browser.test_first_visit_flow import log_in
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from webapp.announcements.models import AnnouncementDelivery, AnnouncementRead, Delivery
from webapp.extensions import db

pytestmark = pytest.mark.browser

DESKTOP = {"width": DESKTOP_WIDTH, "height": 800}
SUBJECT = "Lanterns on Friday"


@pytest.fixture
def club(app):
    """Olu organises the Lantern Club, where Mira and Ken are members; Mira is also in
    the Choir, whose announcements her unsubscribing must leave alone."""
    with app.app_context():
        owner = make_user(email="ann@example.org")
        olu = make_user(email="olu@example.org", first_name="Olu", last_name="Ade")
        mira = make_user(email="mira@example.org", first_name="Mira", last_name="Sato")
        club = make_group(owner, name="Lantern Club", slug="lantern-club")
        add_member(club, olu, role="organiser")
        add_member(club, mira)
        add_member(club, make_user(email="ken@example.org"))
        choir = make_group(owner, name="Choir", slug="choir")
        add_member(choir, mira)
        return {"club": club.id, "choir": choir.id, "mira": mira.id}


def deliveries(app, user_id):
    """{group id: Delivery} of the groups whose announcements user_id takes other than
    by email."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(AnnouncementDelivery.group_id, AnnouncementDelivery.delivery).where(
                AnnouncementDelivery.user_id == user_id
            )
        ).all()
        return {group_id: Delivery(delivery) for group_id, delivery in rows}


def has_read(app, user_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(AnnouncementRead.user_id == user_id)
        )


def link_after(label, text):
    return re.search(rf"{re.escape(label)}: (\S+)", text).group(1)


def test_an_organiser_announces_and_a_member_reads_it_then_unsubscribes(
    app, page, browser, live_server, mailbox, club
):
    page.set_viewport_size(DESKTOP)
    log_in(page, "olu@example.org")
    page.goto("/groups/lantern-club")
    panel = page.get_by_role("region", name="Announcements")
    expect(panel.get_by_text("No announcements yet.")).to_be_visible()
    check_both_widths(page)
    panel.get_by_role("button", name="New announcement").click()

    expect(
        page.get_by_role("heading", name="Announce to the members of Lantern Club")
    ).to_be_visible()
    expect(page.get_by_text("This group can send 3 more announcements this week.")).to_be_visible()
    expect(page.get_by_label("Send now")).to_be_checked()
    check_both_widths(page, "announcement-new")
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message").fill("Bring a **lantern**; we walk the canal at dusk.")
    page.get_by_role("button", name="Preview").click()
    # The preview shows it as the members will read it, and sends nothing.
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(preview.get_by_text(f"Lantern Club: {SUBJECT}")).to_be_visible()  # the email's
    expect(preview.locator(".announcement-body strong")).to_have_text("lantern")
    expect(page.get_by_label("Subject")).to_have_value(SUBJECT)
    check_both_widths(page, "announcement-preview")
    assert mailbox.messages("mira@example.org") == []

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name=SUBJECT, level=1)).to_be_visible()
    expect(page.get_by_text("The announcement is on its way.")).to_be_visible()
    check_both_widths(page, "announcement-sent")

    message = mailbox.last("mira@example.org")
    assert message["Subject"] == f"Lantern Club: {SUBJECT}"
    # Sent now (the worker has run): who sent it, and for its organisers how it fared.
    page.reload()
    expect(page.get_by_text(re.compile(r"^From Olu Ade, "))).to_be_visible()
    expect(page.locator(".delivery-counts")).to_contain_text("failed: 0")
    expect(page.get_by_text("You have read this announcement.")).to_be_visible()
    check_both_widths(page, "announcement-delivered")
    text = mailbox.text(message)
    read_link = link_after("Read it on Hearth", text)
    unsubscribe_link = link_after("Unsubscribe from these emails", text)
    assert unsubscribe_link in message["List-Unsubscribe"]
    assert [m["Subject"] for m in mailbox.messages("ken@example.org")] == [message["Subject"]]

    member_context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    member = member_context.new_page()
    log_in(member, "mira@example.org")
    member.goto("/groups/lantern-club")
    # Not read yet: New on the group's page.
    row = member.get_by_role("region", name="Announcements").get_by_role("listitem")
    expect(row.get_by_role("link", name=SUBJECT)).to_be_visible()
    expect(row.get_by_text("New", exact=True)).to_be_visible()
    check_both_widths(member, "announcement-group-unread")
    assert has_read(app, club["mira"]) == 0

    member.goto(read_link)
    expect(member.get_by_role("heading", name=SUBJECT, level=1)).to_be_visible()
    expect(member.get_by_text("we walk the canal at dusk")).to_be_visible()
    # Opening it marks it read (htmx posts its read mark as the page loads).
    expect(member.get_by_text("You have read this announcement.")).to_be_visible()
    assert has_read(app, club["mira"]) == 1
    check_both_widths(member, "announcement-read")
    member.goto("/groups/lantern-club")
    expect(row.get_by_role("link", name=SUBJECT)).to_be_visible()
    expect(row.get_by_text("New", exact=True)).to_have_count(0)

    member.goto(unsubscribe_link)
    expect(
        member.get_by_role("heading", name="Unsubscribe from the announcements of Lantern Club")
    ).to_be_visible()
    check_both_widths(member, "announcement-unsubscribe")
    assert deliveries(app, club["mira"]) == {}  # opening the page alone changed nothing

    member.get_by_role("button", name="Unsubscribe").click()
    expect(member.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    expect(
        member.get_by_text("Hearth will no longer email you the announcements of Lantern Club.")
    ).to_be_visible()
    check_both_widths(member, "announcement-unsubscribed")
    assert deliveries(app, club["mira"]) == {club["club"]: Delivery.OFF}

    # Where to turn them back on: the group's announcements page, which says they are off.
    member.get_by_role("link", name="your settings").click()
    expect(member).to_have_url(re.compile(r"/groups/lantern-club/announcements$"))
    expect(member.get_by_label("Announcements of this group")).to_have_value(Delivery.OFF.value)
    check_both_widths(member, "announcement-group-list")
    member_context.close()

    # The club's next announcement reaches Ken and not Mira; the Choir's still reach her.
    for organiser, slug, subject in [
        ("olu@example.org", "lantern-club", "Picnic moved"),
        ("ann@example.org", "choir", "Picnic after singing"),
    ]:
        client = logged_in(app, organiser)
        sent = client.submit(
            f"/groups/{slug}/announcements/new", announcement_data(subject=subject)
        )
        assert sent.status_code == 303
    assert subjects_to(mailbox, "ken@example.org") == ["Lantern Club: Picnic moved"]
    assert subjects_to(mailbox, "mira@example.org") == ["Choir: Picnic after singing"]


def test_an_organiser_makes_one_public_and_a_visitor_reads_it_from_the_feed(
    app, page, browser, live_server, club
):
    page.set_viewport_size(DESKTOP)
    log_in(page, "olu@example.org")
    page.goto("/groups/lantern-club/announcements/new")
    page.get_by_label("Subject").fill("Open lantern night")
    page.get_by_label("Message").fill("Everyone is welcome, members or not.")
    public = page.get_by_label("Public: anyone may read it")
    expect(public).not_to_be_checked()
    public.check()
    check_both_widths(page, "announcement-public-new")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", name="Open lantern night", level=1)).to_be_visible()
    expect(page.get_by_text("Public: anyone may read it once it goes")).to_be_visible()

    visitor_context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    visitor = visitor_context.new_page()
    visitor.goto("/groups/lantern-club")
    feed_link = visitor.locator("p.feeds").get_by_role("link", name="Atom feed")
    feed_link_address = feed_link.get_attribute("href")
    feed = feedparser.parse(visitor.request.get(feed_link_address).body())
    assert not feed.bozo
    (entry,) = [e for e in feed.entries if e.title == "Open lantern night"]
    visitor.goto(entry.link)
    expect(visitor.get_by_role("heading", name="Open lantern night", level=1)).to_be_visible()
    expect(visitor.get_by_text("Everyone is welcome, members or not.")).to_be_visible()
    expect(visitor.get_by_role("link", name="Lantern Club")).to_be_visible()
    expect(visitor.get_by_role("button", name="Mark as read")).to_have_count(0)
    check_both_widths(visitor, "announcement-public-read")

    # Olu takes it off the open web, asked first in the dialog.
    page.get_by_role("button", name="Make it members-only").click()
    dialog = page.get_by_role("dialog")
    question = "Make “Open lantern night” members-only?"
    expect(dialog.get_by_role("heading", name=question)).to_be_visible()
    check_both_widths(page, "announcement-members-only-asked")
    dialog.get_by_role("button", name="Make it members-only").click()
    expect(page.get_by_text("The announcement is for members only now")).to_be_visible()
    expect(page.get_by_role("heading", name="Open lantern night", level=1)).to_be_visible()
    expect(page.get_by_text("Public: anyone may read it once it goes")).to_have_count(0)
    expect(page.get_by_role("button", name="Make it members-only")).to_have_count(0)
    check_both_widths(page, "announcement-members-only")

    # The visitor finds it no more, on its page or in the feed.
    visitor.reload()
    expect(visitor.get_by_role("heading", name="Page not found")).to_be_visible()
    feed = feedparser.parse(visitor.request.get(feed_link_address).body())
    assert "Open lantern night" not in [e.title for e in feed.entries]
    visitor_context.close()
