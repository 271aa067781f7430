"""The controls of check_page (tests/browser/conftest.py): what it must catch in the dark
theme, where it runs only axe's colour rules again when nothing but colours changed, and in
the light one; both themes are looked at in one call into the page, which puts the page's
own theme back."""

import pytest

from tests.browser.conftest import check_page

pytestmark = pytest.mark.browser

# Text that reads well on the light theme's background and not on the dark one's.
DARK_ON_DARK = """() => { document.querySelector("main h1").style.color = "#1b1b1b"; }"""

# An image without a text alternative that appears when, and only when, the theme is dark:
# a rule that is not a colour rule, which only the dark theme breaks.
UNNAMED_IMAGE_IN_DARK = """() => {
    const root = document.documentElement;
    new MutationObserver(() => {
        const image = document.getElementById("only-in-dark");
        if (root.getAttribute("data-theme") === "dark" && !image) {
            const added = document.createElement("img");
            added.id = "only-in-dark";
            added.src = "/static/img/favicon.svg";
            document.querySelector("main").prepend(added);
        } else if (root.getAttribute("data-theme") !== "dark" && image) {
            image.remove();
        }
    }).observe(root, {attributes: true, attributeFilter: ["data-theme"]});
}"""


@pytest.mark.parametrize(
    ("change", "rule"),
    [(DARK_ON_DARK, "color-contrast"), (UNNAMED_IMAGE_IN_DARK, "image-alt")],
    ids=["colour-only", "more-than-colours"],
)
def test_what_only_the_dark_theme_breaks_fails_the_check(page, live_server, change, rule):
    page.goto(f"{live_server}/login")
    page.evaluate(change)

    with pytest.raises(AssertionError) as failed:
        check_page(page)

    assert "in dark" in str(failed.value)
    assert "in light" not in str(failed.value)
    assert rule in str(failed.value)


# Faint words on a white background of their own: unreadable whatever the theme.
FAINT_IN_EVERY_THEME = """() => {
    const words = document.createElement("p");
    words.textContent = "Faint words";
    words.style.color = "#eeeeee";
    words.style.background = "#ffffff";
    document.querySelector("main").prepend(words);
}"""


def test_what_the_light_theme_breaks_fails_the_check_and_the_page_keeps_its_theme(
    page, live_server
):
    page.goto(f"{live_server}/login")
    page.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    page.evaluate(FAINT_IN_EVERY_THEME)

    with pytest.raises(AssertionError) as failed:
        check_page(page)

    assert "in light" in str(failed.value)
    assert "color-contrast" in str(failed.value)
    assert page.evaluate("() => document.documentElement.getAttribute('data-theme')") == "dark"
