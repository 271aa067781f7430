"""Right to left: pages in a pseudo right-to-left language (tests/support/pseudo_locale.py:
the catalogue's English, in a locale written right to left) carry dir="rtl", pass axe-core
in light and dark, neither overflow at 320 nor at 1280 px, and mirror as they should: the
header's brand on the right with its links to its left, headings starting at the right,
and the coloured bar of a notice or a message on its right-hand side."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.browser.conftest import DESKTOP_WIDTH, check_both_widths, sideways_overflow
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.pseudo_locale import PSEUDO_RTL, wrapped
from webapp.web.languages import LANGUAGE_COOKIE

pytestmark = pytest.mark.browser


@pytest.fixture
def club(app):
    with app.app_context():
        rana = make_user(email="rana@example.org", first_name="Rana")
        group = make_group(rana, name="Desert Hikers", description="Dawn walks, **water** first.")
        add_member(group, make_user(email="sami@example.org"))
        event = make_event(group, title="Dawn walk", capacity=8)
        return {"group": f"/groups/{group.slug}", "event": f"/events/{event.id}-dawn-walk"}


MIRRORED = """() => {
    const box = el => el.getBoundingClientRect();
    const brand = box(document.querySelector(".brand"));
    const links = box(document.querySelector(".site-links"));
    const found_heading = document.querySelector("main h1");
    // A centred heading (the home page's welcome) starts nowhere in particular.
    const heading = found_heading && getComputedStyle(found_heading).textAlign !== "center"
        ? found_heading : null;
    // Where the heading's words are, not its box (a block spans the width either way).
    const words = document.createRange();
    if (heading) words.selectNodeContents(heading);
    const bar = document.createElement("p");
    bar.className = "notice";
    document.querySelector("main").append(bar);
    const barStyle = getComputedStyle(bar);
    const found = {
        dir: document.documentElement.dir,
        brandRightOfLinks: brand.left > links.right - 1,
        headingStartsRight: heading
            ? box(heading).right - words.getBoundingClientRect().right < 2 : true,
        headingDirection: heading ? getComputedStyle(heading).direction : "rtl",
        barOnTheRight: barStyle.borderRightWidth !== "0px" && barStyle.borderLeftWidth === "0px",
    };
    bar.remove();
    return found;
}"""


def assert_mirrored(page):
    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})
    found = page.evaluate(MIRRORED)
    assert found == {
        "dir": "rtl",
        "brandRightOfLinks": True,
        "headingStartsRight": True,
        "headingDirection": "rtl",
        "barOnTheRight": True,
    }, f"{page.url}: {found}"
    assert not sideways_overflow(page, DESKTOP_WIDTH), page.url
    check_both_widths(page)


def test_pages_read_right_to_left(page, base_url, club, pseudo_languages):
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": PSEUDO_RTL, "url": base_url}])
    for path in ("/", "/groups", "/login", "/signup", club["group"], club["event"]):
        page.goto(path)
        assert_mirrored(page)

    page.goto("/login")
    page.locator("input[name=email]").fill("rana@example.org")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=wrapped("Log in")).click()
    expect(page.get_by_role("button", name=wrapped("Log out")).first).to_be_attached()
    for path in ("/", club["event"], f"{club['group']}/manage/members", "/settings"):
        page.goto(path)
        assert_mirrored(page)
