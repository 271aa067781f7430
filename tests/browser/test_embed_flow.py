"""An embedded list in Chromium: an organiser copies the code from the group's settings and
names the one website that may show it; that website's page shows the list in its frame,
light and dark, and another website's cannot. The list and the settings pass axe-core
in light and dark and reflow at 320 px."""

import http.server
import threading

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONSOLE_ERRORS, check_page
from tests.browser.test_first_visit_flow import log_in
from tests.events.factories import make_event
from tests.events.mail.support import make_party
from webapp.extensions import db
from webapp.groups.models import Group

pytestmark = pytest.mark.browser


class _Site(http.server.BaseHTTPRequestHandler):
    """Another website: a page that frames the snippet it is given."""

    snippet = ""

    def do_GET(self):
        page = "<!doctype html><html lang='en'><title>Club site</title><h1>Our club</h1>"
        body = page + self.snippet
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def _serve():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_an_organiser_embeds_the_groups_events_on_their_website(page, app, live_server, request):
    party = make_party(app, venue="Old Oak", time_zone="America/New_York")
    with app.app_context():
        group = db.session.scalar(db.select(Group).where(Group.slug == party.group_slug))
        make_event(group, title="Night walk", online_url="https://meet.example.org/x")
    site, elsewhere = _serve(), _serve()
    try:
        log_in(page, party.owner_email)
        page.goto(f"/groups/{party.group_slug}/manage/settings")
        snippet = page.get_by_label("Code to paste").input_value()
        assert snippet.startswith(f'<iframe src="{live_server}/groups/{party.group_slug}/embed"')
        check_page(page)
        page.get_by_label("Only the websites listed below").check()
        page.get_by_role("textbox", name="Websites").fill(f"http://127.0.0.1:{site.server_port}")
        page.get_by_role("button", name="Save websites").click()
        expect(
            page.get_by_text("Which websites may show the group's events is saved.")
        ).to_be_visible()

        page.goto(f"/groups/{party.group_slug}/embed?theme=dark")
        expect(page.get_by_role("link", name="Night walk")).to_have_attribute("target", "_blank")
        check_page(page)

        _Site.snippet = snippet
        page.goto(f"http://127.0.0.1:{site.server_port}/")
        framed = page.frame_locator("iframe")
        expect(framed.get_by_role("link", name="Summer picnic")).to_be_visible()
        # Chromium refuses the other site's frame, saying why.
        stashed = request.node.stash[CONSOLE_ERRORS]
        assert not stashed
        page.goto(f"http://127.0.0.1:{elsewhere.server_port}/")
        expect(framed.get_by_role("link", name="Summer picnic")).to_have_count(0)
        page.wait_for_function("1", polling=100)
        assert len(stashed) == 1 and "frame-ancestors" in stashed[0], stashed
        stashed.clear()
    finally:
        for server in (site, elsewhere):
            server.shutdown()
            server.server_close()
