"""Tables and the header on a 320 px phone, in light and dark: every table becomes a list
of cards (no table, and no page, scrolls sideways), every action in them is on screen and
takes a click, and the header is one row whose menu opens onto every link and Log out. At
1280 px the tables stay tables and the header shows its links in a row. axe-core finds nothing at
either width, with the menu open or shut; so it does on a series' pages, which have no table
(a date's edit page, "This date only" or "This date and every later one", and the
question that ends the series).

HEARTH_SCREENSHOTS=<folder> keeps a picture of each page at both widths in both themes."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import (
    DESKTOP_WIDTH,
    PHONE_WIDTH,
    axe_violations,
    check_page,
    set_theme,
    shoot,
)
from tests.browser.test_first_visit_flow import log_in
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group, make_invitation
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.support.crawl import series_pages

pytestmark = pytest.mark.browser

# One row of the header: Pico's nav line with its padding (three rows were about 190 px).
ONE_ROW = 72
MENU_LINKS = ["Groups", "Events", "My tasks", "Settings", "Admin"]


@pytest.fixture
def site(app):
    """Ada, a site admin, owns the Rock Pool Society: members with long names and long
    addresses, a request to join, two invitations waiting, a poll and a date poll with
    votes, a weekly series. Returns the paths of the pages with tables, and the series'
    pages (tests/support/crawl.py)."""
    with app.app_context():
        ada = make_user(
            email="ada.lovelace.of.the.analytical.engine@example.org",
            first_name="Ada",
            last_name="Lovelace-Byron",
            is_site_admin=True,
        )
        group = make_group(ada, name="Rock Pool Society of the Northern Shore", slug="rock-pools")
        members = []
        for number, (first, last) in enumerate(
            [
                ("Theodora", "Vasquez-Lindqvist"),
                ("Bartholomew", "Fitzgerald-Oyelaran"),
                ("Mo", "Li"),
            ]
        ):
            member = make_user(
                email=f"member.with.a.rather.long.address{number}@example.org",
                first_name=first,
                last_name=last,
            )
            add_member(group, member, role="organiser" if number == 0 else "member")
            members.append(member)
        add_member(group, make_user(email="someone.asking.to.join@example.org"), status="pending")
        make_invitation(group, "someone.with.a.very.long.address.indeed@example.org")
        make_invitation(group, "short@example.org", role="organiser")
        where = make_poll(
            group,
            question="Where do we meet?",
            labels=("The lighthouse car park", "Harbour steps", "The café by the slipway"),
        )
        places = option_ids(where)
        for member, place in zip(members, places, strict=True):
            vote(member, where, place)
        when = make_poll(group, question="When is the low-tide walk?", slots=slots_from_now(3))
        slots = option_ids(when)
        for member in members:
            vote(member, when, slot_answers={slots[0]: "yes", slots[1]: "if_need_be"})
        walks = make_series(ada, group, title="Low-tide walk to the lighthouse")
        manage = "/groups/rock-pools/manage"
        pages = {
            "invitations": f"{manage}/invitations",
            "members": f"{manage}/members",
            "votes": f"/polls/{where.id}/manage/votes",
            "slot-votes": f"/polls/{when.id}/manage/votes",
            "admin-users": "/admin/users",
            "admin-groups": "/admin/groups",
            "admin": "/admin",
        }
        return ada.email, pages, series_pages(walks)


# What sticks out at 320 px: the page, any table or its wrapper scrolling inside itself,
# and any control of a table not wholly on screen.
OUT_OF_BOUNDS = """() => {
    const width = document.documentElement.clientWidth;
    const problems = [];
    if (document.documentElement.scrollWidth > width) {
        problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    }
    for (const box of document.querySelectorAll("main table, main table *, main .table-scroll")) {
        // (What is hidden for screen readers alone is a 1 px box that clips its text.)
        const scrolls = getComputedStyle(box).overflowX !== "visible" && box.clientWidth > 1;
        if (scrolls && box.scrollWidth > box.clientWidth + 1) {
            const what = box.outerHTML.slice(0, 80);
            problems.push(`${what} scrolls: ${box.scrollWidth} > ${box.clientWidth}`);
        }
    }
    for (const table of document.querySelectorAll("main table")) {
        if (table.scrollWidth > table.clientWidth + 1) {
            problems.push(`${table.outerHTML.slice(0, 80)} is wider than its box`);
        }
    }
    const controls = "main table :is(button, a, [role=button], select, input:not([type=hidden]))";
    for (const control of document.querySelectorAll(controls)) {
        const edge = control.getBoundingClientRect();
        if (edge.width === 0 || edge.left < 0 || edge.right > width + 0.5) {
            problems.push(`${control.outerHTML.slice(0, 100)} spans ${edge.left}-${edge.right}`);
        }
    }
    return problems;
}"""


def header_height(page):
    return page.locator("header.site-header").bounding_box()["height"]


def check_phone(page):
    """At 320 px, in light and dark: nothing past the edge, every action of every table on
    screen and clickable, a one-row header whose menu opens onto its links."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 700})
    for theme in ("light", "dark"):
        set_theme(page, theme)
        assert page.evaluate(OUT_OF_BOUNDS) == [], f"{page.url} in {theme}"
    set_theme(page, None)
    controls = page.locator("main table").locator("button, a, [role=button], select")
    for number in range(controls.count()):
        controls.nth(number).click(trial=True, timeout=3000)
    assert header_height(page) <= ONE_ROW, f"{page.url}: the header is {header_height(page)}px"
    menu = page.locator("header.site-header details")
    expect(menu.locator("summary")).to_be_visible()
    menu.locator("summary").click()
    for name in MENU_LINKS:
        link = menu.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        link.click(trial=True)
    log_out = menu.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    log_out.click(trial=True)
    for item in [*(menu.get_by_role("link", name=n, exact=True) for n in MENU_LINKS), log_out]:
        edge = item.bounding_box()
        assert edge["x"] >= 0 and edge["x"] + edge["width"] <= PHONE_WIDTH, f"{page.url}: {edge}"
    for theme in ("light", "dark"):
        set_theme(page, theme)
        report = axe_violations(page)
        assert not report, f"{page.url} with the menu open in {theme}:\n{report}"
    set_theme(page, None)
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="Settings", exact=True)).to_be_hidden()


def check_desktop(page, tables=True):
    """At 1280 px the tables (unless the page has none) are tables with their headings, and
    the header its links in one row."""
    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})
    if tables:
        displays = page.eval_on_selector_all(
            "main table", "tables => tables.map(t => getComputedStyle(t).display)"
        )
        assert displays and set(displays) == {"table"}, f"{page.url}: {displays}"
        expect(page.locator("main table thead").first).to_be_visible()
    expect(page.locator("header.site-header summary")).to_be_hidden()
    header = page.locator("header.site-header")
    for name in MENU_LINKS:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    spans = header.locator("nav > ul:visible > li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect())"
        ".map(edge => [edge.top, edge.bottom])"
    )
    # One row: every item beside every other, none below another.
    assert max(top for top, _ in spans) < min(bottom for _, bottom in spans), f"{page.url}: {spans}"


def pictures(page, name):
    for width in (PHONE_WIDTH, DESKTOP_WIDTH):
        page.set_viewport_size({"width": width, "height": 800})
        for theme in ("light", "dark"):
            set_theme(page, theme)
            shoot(page, f"{name}-{width}-{theme}")
    set_theme(page, None)


def test_tables_and_header_on_a_phone_and_a_desktop(page, site):
    email, paths, _ = site
    page.emulate_media(reduced_motion="reduce")
    log_in(page, email)
    for name, path in paths.items():
        page.goto(path)
        check_page(page)
        check_phone(page)
        check_desktop(page)
        pictures(page, name)
    # The menu opened on the phone's home page, as the first picture of a visit shows it.
    page.goto("/")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 700})
    page.locator("header.site-header summary").click()
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shoot(page, f"menu-open-{PHONE_WIDTH}-{theme}")


def test_the_pages_of_a_series_on_a_phone_and_a_desktop(page, site):
    email, _, series = site
    page.emulate_media(reduced_motion="reduce")
    log_in(page, email)
    for name in ("series", "date", "edit", "end"):
        assert page.goto(getattr(series, name)).ok, name
        check_page(page)
        check_phone(page)
        check_desktop(page, tables=False)
        pictures(page, f"series-pages-{name}")


def test_a_visitors_header_is_one_row_too(page):
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 700})
    page.goto("/groups")
    assert header_height(page) <= ONE_ROW
    page.locator("header.site-header summary").click()
    menu = page.locator("header.site-header details")
    for name in ("Groups", "Events", "Log in", "Sign up"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    check_page(page)
    for theme in ("light", "dark"):
        set_theme(page, theme)
        shoot(page, f"visitor-menu-{PHONE_WIDTH}-{theme}")
