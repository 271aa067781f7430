"""Every browser test fails on a console error in any page of any context it opens: here,
the watch itself is shown to catch a CSP violation in a context the test made alone."""

import pytest

from tests.browser.conftest import CONSOLE_ERRORS

pytestmark = pytest.mark.browser

INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true";
    document.head.append(script);
}"""


def test_a_csp_violation_in_a_context_of_its_own_is_caught(browser, live_server, request):
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        page.goto("/login")
        page.evaluate(INLINE_SCRIPT)
        page.wait_for_function("() => true")
        assert page.evaluate("() => window.injected === undefined"), "the CSP let it run"
        page.wait_for_timeout(200)
    finally:
        context.close()
    caught = request.node.stash[CONSOLE_ERRORS]
    assert any("Content Security Policy" in error for error in caught), caught
    # Expected here: the watch must not fail this test for what it was shown to catch.
    caught.clear()
