"""Every page, as a visitor, a member and an owner: axe-core in light and dark, 320 px reflow
(a series' pages too: a date's edit page, "This date only" or "This date and every later
one", and the question that ends the series); and the contrast axe does not measure
(field borders, focus rings, hovered buttons)."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import check_page
from tests.browser.test_first_visit_flow import log_in
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group, make_invitation
from tests.support.crawl import series_pages

pytestmark = pytest.mark.browser

VISITOR_PAGES = ["/", "/signup", "/login", "/password/forgot", "/verify/resend", "/groups"]


@pytest.fixture
def club(app):
    """Tess owns the Tide Pool Club, with members, a request, an invitation, history and a
    weekly series (its pages: tests/support/crawl.py)."""
    with app.app_context():
        tess = make_user(email="tess@example.org", first_name="Tess", last_name="Nakamura-Oyelaran")
        club = make_group(
            tess,
            name="Tide Pool Club",
            slug="tide-pool-club",
            join_policy="approval",
            description="Rock pools at **low tide**, every second Sunday.",
        )
        for number in range(3):
            member = make_user(email=f"member.with.a.long.address{number}@example.org")
            add_member(club, member, role="organiser" if number == 0 else "member")
        add_member(club, make_user(email="asking@example.org"), status="pending")
        _, invitation_path = make_invitation(club, "invited.person@example.org")
        walks = make_series(tess, club, title="Low-tide walk")
        return club.slug, invitation_path, series_pages(walks)


def test_every_page_passes_axe_and_reflows(page, club):
    slug, invitation_path, series = club
    for path in [*VISITOR_PAGES, f"/groups/{slug}", invitation_path, "/no-such-page"]:
        page.goto(path)
        check_page(page)

    log_in(page, "tess@example.org")
    manage = f"/groups/{slug}/manage"
    for path in [
        "/",
        "/groups",
        "/groups?scope=mine",
        "/groups/new",
        "/settings",
        f"/groups/{slug}",
        f"/groups/{slug}/leave",
        f"{manage}/members",
        f"{manage}/invitations",
        f"{manage}/settings",
        f"{manage}/history",
        *series.paths(),
    ]:
        assert page.goto(path).ok, path
        check_page(page)
    # The removal confirmation page (what Remove opens without JavaScript).
    page.goto(f"{manage}/members")
    page.goto(page.locator("form[action$='/remove']").last.get_attribute("action"))
    expect(page.get_by_role("heading", name="Remove", exact=False)).to_be_visible()
    check_page(page)


CONTRAST = """() => {
    const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
        const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    const page = getComputedStyle(document.body).backgroundColor;
    const input = document.querySelector("#email");
    const field = getComputedStyle(document.querySelector("#password"));  // not focused
    const focused = document.activeElement;
    const ring = getComputedStyle(focused);
    const button = getComputedStyle(document.querySelector("main button[type=submit]"));
    return {
        border_on_field: ratio(field.borderTopColor, field.backgroundColor),
        border_on_page: ratio(field.borderTopColor, page),
        focus_ring: focused === input ? ratio(ring.outlineColor, page) : 0,
        hovered_button: ratio(button.color, button.backgroundColor),
    };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_fields_focus_rings_and_hovered_buttons_have_enough_contrast(page, theme):
    page.emulate_media(color_scheme=theme, reduced_motion="reduce")
    page.goto("/login")
    expect(page.locator("html")).not_to_have_attribute("data-theme", "light")
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Email").press("Shift+Tab")
    page.keyboard.press("Tab")  # from the keyboard: :focus-visible draws the ring
    page.get_by_role("main").get_by_role("button", name="Log in").hover()

    measured = page.evaluate(CONTRAST)

    assert measured["border_on_field"] >= 3, measured
    assert measured["border_on_page"] >= 3, measured
    assert measured["focus_ring"] >= 3, measured
    assert measured["hovered_button"] >= 4.5, measured
