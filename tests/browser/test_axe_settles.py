"""axe-core reads a page as it stands once it is still: here, a button dimmed while its
form's htmx request is under way (app.css), as the announcement's "mark as read" form is
when it submits itself as the page opens. Read mid-request it fails the contrast rule;
the check waits for the request to end, as a person would see the page."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

# The login form as htmx marks a form whose request is under way, until it answers.
DIMMED_FOR_A_WHILE = """() => {
    const form = document.querySelector("main form");
    form.classList.add("htmx-request");
    setTimeout(() => form.classList.remove("htmx-request"), 800);
}"""


def test_a_button_dimmed_by_a_request_under_way_is_read_once_it_answered(page, live_server):
    page.goto(f"{live_server}/login")
    page.emulate_media(reduced_motion="reduce")
    page.evaluate(DIMMED_FOR_A_WHILE)
    assert axe_violations(page) == ""
