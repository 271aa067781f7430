"""What search engines read, through HTTP: robots.txt keeps crawlers off the pages that
are someone's own, the organisers' or an emailed link's, and names the sitemap; the
sitemap index lists pages of public groups and public events, and those pages list
exactly the public groups (live, not suspended) and their published events (not drafts,
cancelled or deleted ones, nor anything of a private, suspended or deleted group), in
pages when there are more than a page holds; /favicon.ico is an icon. Each is the same
for everyone and sets no cookie.

Groups and events are made so that the ones to leave out come between those to list."""

import xml.etree.ElementTree as ET

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.polls.support import logged_in
from webapp.database.times import utcnow
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.open_web import views

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def town(app):
    """{"listed": the paths the sitemaps must name, "left out": those they must not}."""
    with app.app_context():
        olu = make_user(email="olu@example.org")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        private = make_group(olu, name="Quiet club", slug="quiet-club", visibility="private")
        suspended = make_group(olu, name="Frozen", slug="frozen", suspended_at=utcnow())
        gone = make_group(olu, name="Gone", slug="gone", deleted_at=utcnow())
        readers = make_group(olu, name="Readers", slug="readers")
        listed = ["/groups/walkers", "/groups/readers"]
        left_out = ["/groups/quiet-club", "/groups/frozen", "/groups/gone"]
        picnic = make_event(walkers, title="Picnic")
        for group, title, fields in (
            (walkers, "Draft walk", {"status": EventStatus.DRAFT}),
            (walkers, "Called off", {"status": EventStatus.CANCELLED}),
            (walkers, "Deleted walk", {"deleted_at": utcnow()}),
            (private, "Quiet night", {}),
            (suspended, "Frozen night", {}),
            (gone, "Gone night", {}),
        ):
            event = make_event(group, title=title, **fields)
            left_out.append(f"/events/{event.id}-{event.slug}")
        book = make_event(readers, title="Book night")
        listed += [f"/events/{e.id}-{e.slug}" for e in (picnic, book)]
        db.session.commit()
        return {"listed": listed, "left out": left_out}


def locations(response, tag):
    """The <loc> of each <tag> of an XML answer (parsed as a crawler would)."""
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own answer, in a test
    return [item.find(f"{SITEMAP}loc").text for item in root.iter(f"{SITEMAP}{tag}")]


def paths(urls, app):
    base = app.config["BASE_URL"] or "http://localhost"
    return [url.removeprefix(base) for url in urls]


def crawled(app, client):
    """Every address the sitemaps name, from the index down."""
    found = []
    for page in paths(locations(client.get("/sitemap.xml"), "sitemap"), app):
        found += paths(locations(client.get(page), "url"), app)
    return found


def test_the_sitemaps_name_public_groups_and_their_published_events_alone(app, client, town):
    found = crawled(app, client)
    assert sorted(found) == sorted(town["listed"])
    assert not set(found) & set(town["left out"])
    # Every address named opens, for a crawler with no session.
    for path in found:
        assert client.get(path).status_code == 200, path
    # A member of every group reads the same sitemaps: they are not anyone's own.
    assert sorted(crawled(app, logged_in(app, "olu@example.org"))) == sorted(town["listed"])


def test_a_site_with_more_than_a_page_holds_gets_more_pages(app, client, town, monkeypatch):
    monkeypatch.setattr(views, "URLS_PER_PAGE", 1)
    pages = paths(locations(client.get("/sitemap.xml"), "sitemap"), app)
    assert pages == [
        "/sitemap-groups-1.xml",
        "/sitemap-groups-2.xml",
        "/sitemap-events-1.xml",
        "/sitemap-events-2.xml",
    ]
    assert sorted(crawled(app, client)) == sorted(town["listed"])
    assert client.get("/sitemap-events-3.xml").status_code == 404
    assert client.get("/sitemap-groups-0.xml").status_code == 404


def test_an_empty_site_has_a_valid_index_and_empty_pages(app, client):
    pages = paths(locations(client.get("/sitemap.xml"), "sitemap"), app)
    assert pages == ["/sitemap-groups-1.xml", "/sitemap-events-1.xml"]
    assert all(locations(client.get(page), "url") == [] for page in pages)


def test_robots_keep_crawlers_off_private_pages_and_name_the_sitemap(app, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    for path in ("/admin", "/settings", "/groups/*/manage", "/events/*/manage", "/login"):
        assert path in disallowed
    # Public pages stay open to crawlers.
    assert not disallowed & {"/", "/groups", "/events", "/groups/*", "/events/*"}
    (sitemap,) = [line for line in lines if line.startswith("Sitemap: ")]
    assert sitemap.removeprefix("Sitemap: ").endswith("/sitemap.xml")
    assert sitemap.removeprefix("Sitemap: ").startswith("http")


@pytest.mark.parametrize("path", ["/robots.txt", "/sitemap.xml", "/favicon.ico"])
def test_the_same_for_everyone_and_no_cookie(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")


def test_the_icon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"
