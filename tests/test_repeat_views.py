"""A repeat view of a page is one request: every static file it names is under a versioned
address, cached for good and compressed; and looking around sets no cookie."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')
VERSIONED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.fixture()
def group_slug(app):
    with app.app_context():
        owner = make_user()
        group = make_group(owner, description="We **walk** on Sundays.")
        add_member(group, make_user())
        return group.slug, owner.email


def pages(slug, logged_in):
    common = ["/", "/groups", "/groups?q=walk", f"/groups/{slug}", "/no/such/page"]
    if logged_in:
        return [*common, f"/groups/{slug}/manage/members", "/settings"]
    return [*common, "/login", "/signup"]


def static_urls(html):
    urls = set(STATIC_URL.findall(html))
    assert urls, "a page names its stylesheets and scripts"
    return urls


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_every_static_file_a_page_names_is_cached_for_good(
    app, client, auth, group_slug, logged_in
):
    slug, owner_email = group_slug
    if logged_in:
        auth.login(owner_email)
    urls = set()
    for page in pages(slug, logged_in):
        response = client.get(page)
        urls |= static_urls(response.get_data(as_text=True))
    for url in sorted(urls):
        assert VERSIONED.search(url), f"{url} is not under a versioned name"
        response = client.get(url)
        response.close()
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_static_text_is_served_compressed(client, encoding):
    html = client.get("/").get_data(as_text=True)
    for url in static_urls(html):
        if url.endswith((".css", ".js")):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            response.close()
            assert response.headers["Content-Encoding"] == encoding, url
            assert "Accept-Encoding" in response.headers["Vary"]


def test_an_unversioned_address_still_answers_but_is_not_kept_for_good(client):
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_address(tmp_path):
    from webapp.web.static_files import versioned_name

    assert versioned_name("css/app.css", b"a") != versioned_name("css/app.css", b"b")
    assert versioned_name("css/app.css", b"a").startswith("css/app.")


def test_looking_around_anonymously_sets_no_cookie(client, group_slug):
    slug, _ = group_slug
    for page in ["/", "/groups", "/groups?q=walk", f"/groups/{slug}", "/no/such/page"]:
        for htmx in (False, True):
            response = client.fragment(page) if htmx else client.get(page)
            assert "Set-Cookie" not in response.headers, page
            assert "X-CSRFToken" not in response.get_data(as_text=True)


def test_a_form_page_makes_the_session_its_token_needs(client):
    """Logging in from a fresh visit still works: the form page makes the session."""
    response = client.get("/login")
    assert "Set-Cookie" in response.headers
    html = response.get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', html)
    # From then on htmx sends the token in its header too.
    assert "X-CSRFToken" in client.get("/").get_data(as_text=True)


def test_a_visitor_can_log_in_after_looking_around(app, client, auth, group_slug):
    slug, owner_email = group_slug
    client.get(f"/groups/{slug}")
    auth.login(owner_email)
    assert "Log out" in client.get("/").get_data(as_text=True)
