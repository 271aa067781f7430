"""When Hearth does not answer, in Chromium. A balancer in front of Hearth answers for a
machine that died (a 502 page of its own), or the connection drops with the answer on its
way. Neither is ever swapped into the page: a member who acted is told that what they did
may or may not have been done, and a live part's poll keeps its place and polls again.
A proxy that refuses a request on its way (nginx's 413 for an upload larger than it
takes, a firewall's 403) is not swapped in either: the member is told nothing was done,
while Hearth's own refusals through the same proxy still show beside their fields.
The pages with the messages pass axe at 320 and 1280 px in both themes, and so does the
balancer's own page for a page opened while no machine answered."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.conftest import CONSOLE_ERRORS, check_both_widths, log_in
from tests.events.factories import make_event
from tests.files.support import SCRIPT, files_world, pdf_bytes
from tests.groups.factories import add_member, make_group
from tests.support.nginx import Nginx, require_nginx
from tests.support.raw_http import read_answer
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.operations.balancer_pages import write_balancer_pages

pytestmark = pytest.mark.browser

# HAProxy's own page for a node that died with the request.
BALANCERS_502 = (
    "<html><body><h1>502 Bad Gateway</h1>\n"
    "The server returned an invalid or incomplete response.\n</body></html>\n"
)
NO_ANSWER = "may or may not have been done"
# nginx's body limit in front of the test server: the docs' (above MAX_UPLOAD_MB) scaled
# down, so that Hearth's own limit is the higher one here and the test sends kilobytes.
NGINX_BODY_LIMIT_KB = 64


@pytest.fixture
def dawn_row(app):
    """Nia organises the Harbour Rowers; Tomas and Ines row with them. A row with four
    places, which Ines answers while Tomas's page is open."""
    with app.app_context():
        nia = make_user(email="nia.rowers@example.org", first_name="Nia", last_name="Okafor")
        tomas = make_user(email="tomas.rowers@example.org", first_name="Tomas", last_name="Ruiz")
        ines = make_user(email="ines.rowers@example.org", first_name="Ines", last_name="Vidal")
        group = make_group(nia, name="Harbour Rowers")
        add_member(group, tomas)
        add_member(group, ines)
        event = make_event(group, title="Dawn row", capacity=4)
        db.session.commit()
        return {"path": f"/events/{event.id}-dawn-row", "id": event.id, "ines": ines.id}


def test_an_answer_hearth_did_not_give_is_never_swapped_in_and_a_member_who_acted_is_told(
    app, page, dawn_row, request
):
    panel = page.locator("section.rsvp-panel")
    error_region = page.locator("#htmx-error")
    log_in(page, "tomas.rowers@example.org")
    page.goto(dawn_row["path"])
    expect(panel).to_contain_text("4 places left of 4")
    page.evaluate("window.stillTheSamePage = true")

    # The panel's own poll is answered by the balancer: the panel stays, says nothing, and
    # its next poll shows what Ines answered meanwhile.
    polls = []

    def balancer_answers_the_first_poll(route):
        polls.append(route.request.url)
        if len(polls) == 1:
            route.fulfill(status=502, content_type="text/html", body=BALANCERS_502)
        else:
            route.continue_()

    # (A poll already on its way when the route is set is answered by Hearth: wait for
    # the balancer's.)
    with page.expect_response(lambda answer: answer.status == 502, timeout=10_000):
        page.route(re.compile(r"/rsvp/live"), balancer_answers_the_first_poll)
    with app.app_context():
        answer_event(
            db.session.get(User, dawn_row["ines"]), db.session.get(Event, dawn_row["id"]), "going"
        )
        db.session.commit()
    expect(panel).to_contain_text("1 going", timeout=10_000)
    expect(page.get_by_text("Bad Gateway")).to_have_count(0)
    expect(error_region).to_be_empty()
    assert page.evaluate("window.stillTheSamePage") is True
    page.unroute(re.compile(r"/rsvp/live"))

    # Tomas answers; Hearth takes it, and the connection drops on the way back.
    def done_but_dropped(route):
        route.fetch()
        route.abort("connectionreset")

    page.route(re.compile(r"/rsvp$"), done_but_dropped)
    page.get_by_role("button", name="Going", exact=True).click()
    expect(error_region.get_by_role("heading", name="No answer")).to_be_visible()
    expect(error_region).to_contain_text(NO_ANSWER)
    # The panel is still there (its next poll may already show the answer: it was done).
    expect(panel.get_by_role("heading", name="Who is going")).to_be_visible()
    check_both_widths(page, "no-answer")
    page.unroute(re.compile(r"/rsvp$"))

    # As the message says, a reload shows where things stand: it was done.
    page.reload()
    expect(panel).to_contain_text("Your answer: Going.")
    expect(error_region).to_be_empty()

    # The balancer answers his next tap for a machine that died with it.
    page.route(
        re.compile(r"/rsvp$"),
        lambda route: route.fulfill(status=502, content_type="text/html", body=BALANCERS_502),
    )
    page.get_by_role("button", name="Maybe", exact=True).click()
    expect(error_region).to_contain_text(NO_ANSWER)
    expect(page.get_by_text("Bad Gateway")).to_have_count(0)
    expect(panel).to_contain_text("Your answer: Going.")

    # The machine is back: his tap is answered, and the message, which no longer holds,
    # goes.
    page.unroute(re.compile(r"/rsvp$"))
    page.get_by_role("button", name="Maybe", exact=True).click()
    expect(panel).to_contain_text("Your answer: Maybe.")
    expect(error_region).to_be_empty()

    # What Chromium and htmx log for the answers that did not come: expected here.
    logged = request.node.stash[CONSOLE_ERRORS]
    unexpected = [
        line
        for line in logged
        if not re.search(r"502|htmx:(sendError|afterRequest)|ERR_CONNECTION_RESET", line)
    ]
    assert not unexpected, unexpected
    logged.clear()


def test_the_balancers_own_page_reads_well_in_both_themes_and_at_both_widths(
    app, page, live_server, tmp_path, request
):
    """The page `flask balancer-pages` writes, answered as HAProxy answers it (its whole
    answer, headers and policy included), for a page opened as the machines were down."""
    with app.app_context():
        write_balancer_pages(tmp_path)
    response, body = read_answer((tmp_path / "502.http").read_bytes())
    address = f"{live_server}/events"
    page.route(
        address,
        lambda route: route.fulfill(
            status=response.status, headers=dict(response.headers), body=body
        ),
    )

    page.goto(address)
    expect(page.get_by_role("heading", name="No answer")).to_be_visible()
    expect(page.locator("main")).to_contain_text(NO_ANSWER)
    check_both_widths(page, "balancer-502")
    background = "getComputedStyle(document.body).backgroundColor"
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background) == "rgb(19, 23, 31)"
    page.emulate_media(color_scheme="light")
    assert page.evaluate(background) == "rgb(255, 255, 255)"
    page.get_by_role("link", name="Go to the home page").click()
    expect(page).to_have_title("Home · Hearth")

    # Chromium's word for the 502 itself: expected here. A violation of the page's policy
    # (a style its hash does not allow) would stay and fail the test.
    logged = request.node.stash[CONSOLE_ERRORS]
    assert all("status of 502" in line for line in logged), logged
    logged.clear()


@pytest.fixture
def nginx_in_front(app, live_server, tmp_path):
    """Debian's nginx in front of the test server, as docs/deployment.md sets it up (its
    body limit scaled down, and Hearth's pages for what nginx refuses): its address. The
    browser's login cookie holds for it too: a cookie belongs to a host, not a port."""
    require_nginx()
    pages = tmp_path / "pages"
    with app.app_context():
        write_balancer_pages(pages)
    nginx = Nginx(
        tmp_path,
        f"""
        client_max_body_size {NGINX_BODY_LIMIT_KB}k;
        location / {{
          proxy_pass {live_server};
          proxy_set_header Host $http_host;
        }}
        error_page 413 502 503 504 /hearth-balancer-pages/$status.html;
        location /hearth-balancer-pages/ {{
          alias {pages}/;
          internal;
        }}
        """,
    )
    yield f"http://127.0.0.1:{nginx.port}"
    nginx.stop()


def test_what_a_proxy_refuses_on_its_way_is_never_swapped_in_and_the_member_is_told(
    app, page, nginx_in_front, request
):
    with app.app_context():
        _, _, _, _, event = files_world()
        files = f"{nginx_in_front}/events/{event.id}/files"
    choose = page.get_by_label("Add a file")
    upload = page.get_by_role("button", name="Upload")
    error_region = page.locator("#htmx-error")
    log_in(page, "mira@example.org")
    page.goto(files)
    expect(page.get_by_text("No files yet.")).to_be_visible()

    # Larger than nginx takes (Hearth would take it): nginx refuses it with its 413 page,
    # which stays out of the page; the form stays, and Mira is told.
    padding = b"%" + b"x" * (NGINX_BODY_LIMIT_KB * 1024) + b"\n"
    large = pdf_bytes() + padding
    choose.set_input_files({"name": "scans.pdf", "mimeType": "application/pdf", "buffer": large})
    with page.expect_response(lambda answer: answer.status == 413):
        upload.click()
    expect(error_region.get_by_role("heading", name="Too large")).to_be_visible()
    expect(error_region).to_contain_text("larger than this site accepts, so nothing was done")
    expect(page.locator("#upload-form")).to_be_visible()
    expect(page.get_by_text("No files yet.")).to_be_visible()
    check_both_widths(page, "proxy-too-large")

    # Hearth's own refusal, through the same proxy, shows beside the field as ever; the
    # message about the last upload, which no longer holds, goes.
    choose.set_input_files({"name": "holiday.png", "mimeType": "image/png", "buffer": SCRIPT})
    upload.click()
    expect(page.locator("#file-error")).to_contain_text("This kind of file is not accepted")
    choose.set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    upload.click()
    expect(page.get_by_text("“minutes.pdf” is uploaded.")).to_be_visible()
    expect(error_region).to_be_empty()

    # A firewall in front turns the next upload away with a page of its own.
    page.route(
        re.compile(r"/files$"),
        lambda route: route.fulfill(
            status=403, content_type="text/html", body="<h1>403 Forbidden</h1>by the firewall"
        ),
    )
    choose.set_input_files(
        {"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    upload.click()
    expect(error_region.get_by_role("heading", name="Not done")).to_be_visible()
    expect(error_region).to_contain_text("nothing was done")
    expect(page.get_by_text("by the firewall")).to_have_count(0)
    expect(page.get_by_role("heading", name="1 file")).to_be_visible()
    check_both_widths(page, "proxy-turned-away")
    page.unroute(re.compile(r"/files$"))

    # What Chromium and htmx log for the refusals: expected here.
    logged = request.node.stash[CONSOLE_ERRORS]
    unexpected = [line for line in logged if not re.search(r"413|403|htmx:", line)]
    assert not unexpected, unexpected
    logged.clear()
