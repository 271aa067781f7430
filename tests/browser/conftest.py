"""Real Chromium against the app served from a thread, with console errors collected.

Chromium comes from Debian (/usr/bin/chromium, or CHROMIUM_PATH). Without it these tests
are skipped, unless HEARTH_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

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
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("HEARTH_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"HEARTH_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


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
