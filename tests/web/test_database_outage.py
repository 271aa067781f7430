"""While PostgreSQL cannot be reached, every request answers 503 with Retry-After and the
error page, and /readyz names the database; once it is back, the same process serves again.

The database goes away through a proxy the test controls (tests/support/tcp_proxy.py),
never by stopping the shared server: down() closes the connections the app's pool holds,
as a crash or a failover does, and refuses new ones.
"""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.conftest import TEST_DATABASE_URL
from tests.support.html_checks import by_id
from tests.support.members import new_member
from tests.support.other_apps import app_like
from tests.support.tcp_proxy import TCPProxy

# A public list, and pages that need the logged-in person (loaded from the database).
PAGES = ["/events", "/", "/settings"]
UNAVAILABLE = "We cannot reach our database just now"


@pytest.fixture
def proxied(app):
    """(an app like the session's whose database is behind a proxy, the proxy). The app's
    engine is production's: no ping before each checkout."""
    url = sa.engine.make_url(TEST_DATABASE_URL)
    proxy = TCPProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.up()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port)
    try:
        with app_like(
            app, SQLALCHEMY_DATABASE_URI=through_proxy.render_as_string(hide_password=False)
        ) as web:
            yield web, proxy
    finally:
        proxy.down()


def logged_in_client(app, web):
    member = new_member(app)
    client = web.test_client()
    login = client.submit("/login", {"email": member.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 303
    client.session_csrf_token()  # read now: no page can give it during the outage
    return client


def get(client, url, htmx=False):
    """GET url as a browser does, following the one redirect to itself with which the app
    answers a request that met a dropped connection."""
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)
    if response.status_code == 307:
        assert response.location == url
        response = client.get(url, headers=headers)
    return response


def assert_unavailable(response, htmx):
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds <= 120
    assert by_id(html, "error").attrs["data-status"] == "503"
    assert UNAVAILABLE in html
    assert f"Try again in {seconds} seconds" in html
    if htmx:
        assert "<html" not in html
        assert response.headers["HX-Retarget"] == "#htmx-error"
    else:
        assert "<title>Temporarily unavailable · Hearth</title>" in html
        assert "HX-Retarget" not in response.headers


def readiness(client):
    response = client.get("/readyz")
    return response.status_code, {name: c["ok"] for name, c in response.json["checks"].items()}


@pytest.mark.postgres
@pytest.mark.expects_server_error  # 503 is the answer while the database is away
def test_requests_answer_503_while_the_database_is_away_and_200_once_it_is_back(app, proxied):
    web, proxy = proxied
    client = logged_in_client(app, web)
    anonymous = web.test_client()
    for url in PAGES:
        assert client.get(url).status_code == 200  # the pool now holds open connections

    proxy.down()
    for url in PAGES:
        for htmx in (False, True):
            assert_unavailable(get(client, url, htmx), htmx)
    assert_unavailable(get(anonymous, "/events"), htmx=False)
    # A form sent meanwhile: the same answer, and nothing is half-done.
    assert_unavailable(client.submit("/logout"), htmx=False)
    assert readiness(client) == (503, {"database": False, "redis": True})

    proxy.up()
    for url in PAGES:
        assert client.get(url).status_code == 200, url
    assert anonymous.get("/events").status_code == 200
    assert readiness(client) == (200, {"database": True, "redis": True})


@pytest.mark.postgres
def test_readyz_is_not_fooled_by_connections_dropped_while_nobody_asked(app, proxied):
    web, proxy = proxied
    client = web.test_client()
    assert readiness(client) == (200, {"database": True, "redis": True})
    # A restart between two probes: the pool's connection is dead, the database is not.
    proxy.down()
    proxy.up()
    assert readiness(client) == (200, {"database": True, "redis": True})
