"""Real Chromium against the app served from a thread, with console errors collected.

Chromium comes from Debian (/usr/bin/chromium, or CHROMIUM_PATH). Without it these tests
are skipped, unless HEARTH_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from axe_playwright_python.base import AxeResults
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.support import html_checker

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    required = os.environ.get("HEARTH_REQUIRE_BROWSER") == "1"
    if required and not html_checker.available():
        raise pytest.UsageError(
            f"HEARTH_REQUIRE_BROWSER=1 but no Nu Html Checker at {html_checker.JAR} (make test)"
        )
    if os.path.exists(CHROMIUM):
        return
    if required:
        raise pytest.UsageError(f"HEARTH_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


ANSWER = "hearth.tests.answer"


class _Answer:
    """A response's body, closed once however often it is asked to be."""

    def __init__(self, body):
        self.body = body
        self.closed = False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if not self.closed:
            self.closed = True
            if hasattr(self.body, "close"):
                self.body.close()


def _keeping_answers(app):
    def serve(environ, start_response):
        environ[ANSWER] = _Answer(app(environ, start_response))
        return environ[ANSWER]

    return serve


class _ClosingWhenDropped(WSGIRequestHandler):
    """Werkzeug's server closes a response only after reading what is left of the request;
    when the browser has gone (a page closed while its favicon came), that read raises
    first, and the file being sent was left open for the collector, which warns: the
    warning failed the test that happened to be running."""

    def connection_dropped(self, error, environ=None):
        if environ and ANSWER in environ:
            environ[ANSWER].close()
        super().connection_dropped(error, environ)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server(
        "127.0.0.1", 0, _keeping_answers(app), threaded=True, request_handler=_ClosingWhenDropped
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def two_workers(app, tmp_path):
    """The app under gunicorn with two worker processes (served.py): they share only the
    database and Redis."""
    from tests.browser.served import Gunicorn

    server = Gunicorn(app, workers=2, log_path=tmp_path / "access.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(autouse=True)
def _links_point_at_live_server(app, live_server, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", live_server)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


# Chromium reports every 4xx response in the console; a 422 is how a form shows its errors.
EXPECTED_CONSOLE_ERRORS = ("the server responded with a status of 422",)
# What the app answers on purpose (a refused form, a page not there, a file too large) is
# no fault of a page: everywhere else, only a CSP violation or a script error counts.
# (Chromium's words for a load, htmx's for a request it did not swap.)
_CLIENT_ERROR_ANSWER = re.compile(
    r"(the server responded with a status of|Response Status Error Code) 4\d\d\b"
)


# The console errors of the running browser test so far (a test expecting one removes it).
CONSOLE_ERRORS = pytest.StashKey[list]()


@pytest.fixture(autouse=True)
def _no_console_errors_in_any_page(request):
    """Every page of every browser test, in every browser context it opens: no CSP
    violation, no script error, no failed load but the app's own 4xx answers. The contexts
    a test opens are closed when it ends: the browser outlives the test, and a page left
    open went on polling the live server's live parts for the rest of the run (its
    requests took processor time, and their log lines reached later tests' logs)."""
    if "browser" not in request.keywords:
        yield
        return
    browser = request.getfixturevalue("browser")
    errors = request.node.stash[CONSOLE_ERRORS] = []
    opened = []

    def keep(message):
        if message.type == "error" and not _CLIENT_ERROR_ANSWER.search(message.text):
            errors.append(f"{message.page.url if message.page else ''}: {message.text}")

    def new_context(*args, **kwargs):
        context = opening(*args, **kwargs)
        opened.append(context)
        context.on("console", keep)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        return context

    opening = browser.new_context
    browser.new_context = new_context
    try:
        yield
    finally:
        del browser.new_context
        # Those still open: pytest-playwright has closed its `page` fixture's context by
        # now (this fixture, autouse, was set up first and ends last), and a second close
        # of one of its contexts fails.
        for context in opened:
            if context in browser.contexts:
                context.close()
    assert not errors, "console errors:\n" + "\n".join(errors)


def watch_console(page, errors):
    """Collect page's console errors and uncaught exceptions into errors."""

    def keep(message):
        if message.type == "error" and not any(
            expected in message.text for expected in EXPECTED_CONSOLE_ERRORS
        ):
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def console_errors(page):
    """Console errors of the test's page; CSP violations show up here."""
    return watch_console(page, [])


# The WCAG 2.2 A and AA rules of axe-core; any violation fails the test that visits the page.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE_WIDTH = 320
_axe = None


# In the page: resolves once no htmx request is under way and every transition running
# has ended. A request dims its form's button (app.css): axe once read the announcement's
# "mark as read" form, which submits itself as the page opens, mid-request. Reduced motion
# stops new transitions, not one already running (Pico fades a button's colours over 0.2 s
# on hover or focus): axe once read such a button mid-fade, at 4.05:1 against its 4.5:1,
# on a loaded machine.
SETTLED = """async () => {
    const deadline = performance.now() + 30000;
    while (document.querySelector(".htmx-request")) {
        if (performance.now() > deadline) throw new Error("an htmx request lasted over 30 s");
        await new Promise(resolve => requestAnimationFrame(resolve));
    }
    await Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map(a => a.finished.catch(() => null)));
}"""


def _with_axe(page, script, argument):
    """page.evaluate(script, argument), axe-core put in the document first if script
    answers null (its sign that the document has no axe yet). Once per document: the
    script is large, and it stays in the page between runs."""
    global _axe
    answer = page.evaluate(script, argument)
    if answer is not None:
        return answer
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    page.evaluate(_axe.axe_script)
    return page.evaluate(script, argument)


# axe on the page once it has settled; null when the document has no axe yet (_with_axe).
AXE_RUN = """async options => {
    await (SETTLED)();
    return typeof axe === "object" ? axe.run(document, options) : null;
}""".replace("SETTLED", SETTLED)


def axe_violations(page, rules=None):
    """axe-core's WCAG A/AA violations on page as it is now, as a readable report or '';
    rules: the ids of the only rules to run (None: every rule of WCAG_TAGS)."""
    if rules is None:
        run_only = {"type": "tag", "values": WCAG_TAGS}
    else:
        run_only = {"type": "rule", "values": rules}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    results = AxeResults(_with_axe(page, AXE_RUN, options))
    return results.generate_report() if results.violations_count else ""


# axe in light, then in dark, in one trip to the page: on a busy machine each trip costs
# more than most of what it asks. The dark theme changes colours only (app.css, Pico):
# where the document and each element's box and showing are as they were in light, every
# rule but axe's colour rules (its "cat.color" ones) reads what it read, so only those
# run again; where anything changed, every rule does. The page's theme is put back.
AXE_IN_BOTH_THEMES = """async tags => {
    if (typeof axe !== "object") return null;
    const settled = SETTLED;
    const layout = () => document.body.innerHTML + [...document.querySelectorAll("body *")]
        .map(element => {
            const box = element.getBoundingClientRect(), style = getComputedStyle(element);
            return [box.x, box.y, box.width, box.height, style.display, style.visibility]
                .join();
        }).join("|");
    const root = document.documentElement;
    const original = root.getAttribute("data-theme");
    try {
        root.setAttribute("data-theme", "light");
        await settled();
        const inLight = layout();
        const light = await axe.run(document,
            {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
        root.setAttribute("data-theme", "dark");
        await settled();
        const colourRules = axe.getRules(tags)
            .filter(rule => rule.tags.includes("cat.color")).map(rule => rule.ruleId);
        const runOnly = layout() === inLight
            ? {type: "rule", values: colourRules} : {type: "tag", values: tags};
        const dark = await axe.run(document, {runOnly, resultTypes: ["violations"]});
        return {light, dark};
    } finally {
        if (original === null) root.removeAttribute("data-theme");
        else root.setAttribute("data-theme", original);
    }
}""".replace("SETTLED", SETTLED)


def axe_in_both_themes(page):
    """{"light": AxeResults, "dark": AxeResults} for page as it is now."""
    answer = _with_axe(page, AXE_IN_BOTH_THEMES, WCAG_TAGS)
    return {theme: AxeResults(results) for theme, results in answer.items()}


def set_theme(page, theme):
    """Show the page in theme ('light', 'dark', or None for what it had), as a member would."""
    page.evaluate(
        """theme => {
            const root = document.documentElement;
            if (root.dataset.originalTheme === undefined) {
                root.dataset.originalTheme = root.getAttribute("data-theme") || "";
            }
            const value = theme === null ? root.dataset.originalTheme : theme;
            if (value) root.setAttribute("data-theme", value);
            else root.removeAttribute("data-theme");
            if (theme === null) delete root.dataset.originalTheme;
        }""",
        theme,
    )


def sideways_overflow(page, width=PHONE_WIDTH):
    """How far the page scrolls sideways at width, and why (0 when it reflows)."""
    original = page.viewport_size
    if original and original["width"] == width:
        original = None  # already that wide (check_both_widths' phone): nothing to put back
    else:
        height = original["height"] if original else 800
        page.set_viewport_size({"width": width, "height": height})
    try:
        return page.evaluate(
            """() => {
                const root = document.documentElement;
                const over = root.scrollWidth - root.clientWidth;
                if (over <= 0) return 0;
                // Name the culprits: the innermost elements reaching past the right edge.
                const wide = [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                    .filter(el => ![...el.children].some(
                        c => c.getBoundingClientRect().right > root.clientWidth + 1))
                    .slice(0, 5)
                    .map(el => el.outerHTML.slice(0, 120));
                return `${over}px (${wide.join(" | ")})`;
            }"""
        )
    finally:
        if original:
            page.set_viewport_size(original)


# Pictures to look at (not asserted on): HEARTH_SCREENSHOTS=<folder> keeps them.
SCREENSHOTS = os.environ.get("HEARTH_SCREENSHOTS")
DESKTOP_WIDTH = 1280


def shoot(page, name):
    """A full-page picture of page as name.png, when HEARTH_SCREENSHOTS asks for them."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret injects a style, which our CSP (rightly) refuses.
    page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True, caret="initial")


def check_both_widths(page, name=None):
    """check_page at 1280 px and at 320 px (phones lay out differently), each width
    pictured as name-<width> when name is given."""
    height = page.viewport_size["height"] if page.viewport_size else 900
    for width in (DESKTOP_WIDTH, PHONE_WIDTH):
        page.set_viewport_size({"width": width, "height": height})
        check_page(page)
        if name:
            shoot(page, f"{name}-{width}")
    page.set_viewport_size({"width": DESKTOP_WIDTH, "height": height})


def check_page(page):
    """Every page a browser test visits: no WCAG 2.2 A/AA violation in light or dark, no
    sideways scrolling on a 320 px phone, and no error of the Nu Html Checker's (when it
    is installed: make test installs it)."""
    page.wait_for_load_state()
    if html_checker.available():
        found = html_checker.errors(page.content())
        assert not found, f"{page.url}: the HTML checker's errors:\n" + "\n".join(found)
    # Pico animates colours: without motion, a switched theme is complete when axe looks.
    page.emulate_media(reduced_motion="reduce")
    problems = []
    for theme, results in axe_in_both_themes(page).items():
        if results.violations_count:
            problems.append(f"{page.url} in {theme}:\n{results.generate_report()}")
    overflow = sideways_overflow(page)
    if overflow:
        problems.append(f"{page.url} scrolls {overflow} sideways at {PHONE_WIDTH}px")
    assert not problems, "\n".join(problems)


def log_in(page, email):
    """Log in through the form as the factories' user with email, and see the welcome."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()
