"""The control for the Nu Html Checker that check_page runs: it finds an HTML error, and
passes htmx's attributes (tests/support/html_checker.py)."""

import pytest

from tests.support import html_checker

pytestmark = pytest.mark.browser

PAGE = (
    '<!doctype html><html lang="en"><head><title>t</title></head>'
    "<body><main>{}</main></body></html>"
)


@pytest.fixture(autouse=True)
def _installed():
    if not html_checker.available():
        pytest.skip("no Nu Html Checker (make test installs it)")


def test_the_checker_finds_an_error_and_passes_htmx():
    assert html_checker.errors(PAGE.format('<form hx-post="/x"><p>Fine</p></form>')) == []
    [duplicate] = html_checker.errors(PAGE.format('<p id="a">1</p><p id="a">2</p>'))
    assert duplicate.startswith("Duplicate ID “a”.")
