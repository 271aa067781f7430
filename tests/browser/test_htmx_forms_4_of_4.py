"""Every htmx form works on its own page, with JavaScript and without: the fourth of
the four shares of the forms the crawl finds (tests/browser/htmx_forms.py)."""

import pytest

from tests.browser.htmx_forms import check_part

# A share is a minute or two on two quiet cores; a busy machine makes it several times that.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(480)]


def test_every_htmx_form_works_from_its_own_page_with_javascript_on_and_off(
    app, browser, live_server, tmp_path_factory
):
    check_part(app, browser, live_server, tmp_path_factory, part=4)
