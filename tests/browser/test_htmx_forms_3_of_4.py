"""Every htmx form works on its own page, with JavaScript and without: the third of
the four shares of the forms the crawl finds (tests/browser/htmx_forms.py)."""

import pytest

from tests.browser.htmx_forms import check_part

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_every_htmx_form_works_from_its_own_page_with_javascript_on_and_off(
    app, browser, live_server
):
    check_part(app, browser, live_server, part=3)
