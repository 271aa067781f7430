"""Error pages: every status as a full page and as an htmx fragment for the error region."""

import logging
import re

import pytest
import sqlalchemy as sa
from flask import abort

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.auth.test_protections import says_when_to_try_again
from tests.conftest import TEST_DATABASE_URL
from tests.support.html_checks import by_id
from tests.support.logs import own_records
from tests.support.members import new_member
from tests.support.other_apps import app_like
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.web.hooks import SECURITY_HEADERS

SECRET_DETAIL = "database password is hunter2"
DEFAULT = DEFAULT_PASSWORD


@pytest.fixture(scope="module")
def broken_app(app):
    """An app like the session's, with routes that fail the ways views can."""
    with app_like(app) as other:

        @other.get("/boom")
        def boom():
            raise RuntimeError(SECRET_DETAIL)

        @other.get("/forbidden")
        def forbidden():
            abort(403)

        @other.post("/failed-transaction")
        def failed_transaction():
            # Two rows with one address: the flush fails and the session must roll back.
            for _ in range(2):
                db.session.add(
                    User(
                        email="twin@example.org",
                        email_normalized="twin@example.org",
                        first_name="Twin",
                        last_name="Twin",
                        password_hash="x",
                    )
                )
            db.session.flush()
            return "unreachable"

        @other.post("/statement-timeout")
        def statement_timeout():
            # An OperationalError from a database that answers: a bug, not an outage.
            db.session.execute(sa.text("SET LOCAL statement_timeout = '10ms'"))
            db.session.execute(sa.text("SELECT pg_sleep(1)"))
            return "unreachable"

        yield other


def get(client, url, htmx):
    return client.fragment(url) if htmx else client.get(url)


def exhaust_login_limit(client, htmx):
    """Log in with a wrong password until the rate limit answers; that answer."""
    for _ in range(20):
        data = {"email": "someone@example.org", "password": "Wrong-Password-1!"}
        response = client.submit("/login", data, htmx=htmx)
        if response.status_code == 429:
            return response
        assert response.status_code == 422
    pytest.fail("no rate limit on login")


def post_too_large(app, client, monkeypatch, htmx):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    return client.submit("/signup", {"email": "x" * 4096 + "@example.org"}, htmx=htmx)


REQUESTS = {
    400: lambda app, client, mp, htmx: client.submit(
        "/login", {"email": "a@example.org", "password": "x"}, htmx=htmx, csrf=False
    ),
    404: lambda app, client, mp, htmx: get(client, "/no/such/page", htmx),
    405: lambda app, client, mp, htmx: get(client, "/logout", htmx),
    413: post_too_large,
    429: lambda app, client, mp, htmx: exhaust_login_limit(client, htmx),
}

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    429: "Slow down",
    500: "Something went wrong",
    503: "Temporarily unavailable",
}


def assert_error_page(response, status):
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<html" in html
    assert by_id(html, "error").attrs["data-status"] == str(status)
    assert f"<title>{TITLES[status]} · Hearth</title>" in html
    assert 'id="htmx-error"' in html
    assert "HX-Retarget" not in response.headers
    assert "HX-Request" in response.vary


def assert_error_fragment(response, status):
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<html" not in html
    assert html.lstrip().startswith('<article id="error"')
    assert by_id(html, "error").attrs["data-status"] == str(status)
    assert TITLES[status] in html
    assert response.headers["HX-Retarget"] == "#htmx-error"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert "HX-Request" in response.vary


@pytest.mark.parametrize("status", sorted(REQUESTS))
def test_error_is_a_full_page(app, client, monkeypatch, status):
    assert_error_page(REQUESTS[status](app, client, monkeypatch, False), status)


@pytest.mark.parametrize("status", sorted(REQUESTS))
def test_error_for_htmx_is_a_fragment_for_the_error_region(app, client, monkeypatch, status):
    assert_error_fragment(REQUESTS[status](app, client, monkeypatch, True), status)


@pytest.mark.expects_server_error
@pytest.mark.parametrize(("url", "status"), [("/forbidden", 403), ("/boom", 500)])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_view_failures_render_error_pages(broken_app, url, status, htmx):
    response = get(broken_app.test_client(), url, htmx)
    (assert_error_fragment if htmx else assert_error_page)(response, status)


@pytest.mark.expects_server_error
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_500_shows_no_exception_text_and_logs_it(broken_app, caplog, htmx):
    with caplog.at_level(logging.ERROR, logger="hearth.errors"):
        response = get(broken_app.test_client(), "/boom", htmx)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    for leak in (SECRET_DETAIL, "RuntimeError", "Traceback", 'File "'):
        assert leak not in html
    assert "An error happened on our side." in html
    [record] = own_records(caplog, "hearth.errors")
    assert record.exc_info[0] is RuntimeError


def test_405_says_which_methods_are_allowed(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_missing_csrf_token_page_says_to_reload(client):
    response = client.submit("/login", {"email": "a@example.org", "password": "x"}, csrf=False)
    assert "missing its security token" in response.get_data(as_text=True)


def test_wrong_csrf_token_is_refused(client):
    response = client.post(
        "/login",
        data={"email": "a@example.org", "password": "x"},
        headers={"X-CSRFToken": "forged-token"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_429_says_when_to_try_again(client, htmx):
    response = exhaust_login_limit(client, htmx)
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds <= 15 * 60
    assert re.search(r"Try again in \d+ (second|minute)s?\.", response.get_data(as_text=True))
    assert says_when_to_try_again(response)


def refused_for_an_hour(app, client, monkeypatch, **headers):
    """The 429 of a login limited to once an hour: the second attempt's answer."""
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1 per hour")
    data = {"email": "hourly@example.org", "password": "Wrong-Password-1!"}
    assert client.submit("/login", data, headers=headers).status_code == 422
    response = client.submit("/login", data, headers=headers)
    assert response.status_code == 429
    return response


def test_429_says_an_hour_as_a_person_would(app, client, monkeypatch):
    """Not "Try again in 3588 seconds (about 60 minutes)"."""
    response = refused_for_an_hour(app, client, monkeypatch)
    assert 3500 < int(response.headers["Retry-After"]) <= 3601
    text = " ".join(response.get_data(as_text=True).split())
    assert "Try again in 1 hour." in text
    assert "seconds" not in text and "minutes" not in text


def test_429_says_when_in_the_pages_language(app, client, monkeypatch):
    response = refused_for_an_hour(app, client, monkeypatch, **{"Accept-Language": "es"})
    assert 'lang="es"' in response.get_data(as_text=True)
    assert "dentro de 1 hora" in response.get_data(as_text=True)
    assert says_when_to_try_again(response, locale="es")


def test_413_page_says_what_was_too_large(app, client, monkeypatch):
    response = post_too_large(app, client, monkeypatch, htmx=False)
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_error_pages_keep_the_visitors_navigation(client):
    html = client.get("/no/such/page").get_data(as_text=True)
    assert 'href="/login"' in html
    assert 'href="/signup"' in html


def assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


@pytest.mark.expects_server_error
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_500_after_a_failed_transaction_for_a_logged_in_user(broken_app, htmx):
    member = new_member(broken_app)
    client = broken_app.test_client()
    assert client.submit("/login", {"email": member.email, "password": DEFAULT}).status_code == 303
    response = client.submit("/failed-transaction", htmx=htmx)
    (assert_error_fragment if htmx else assert_error_page)(response, 500)
    assert_security_headers(response)
    # The session is usable again on the next request.
    assert client.get("/").status_code == 200


def unreachable_database_url():
    if TEST_DATABASE_URL:
        return "postgresql+psycopg://postgres@127.0.0.1:1/hearth?connect_timeout=2"
    return "sqlite:////nonexistent-hearth-directory/hearth.db"


@pytest.mark.postgres
@pytest.mark.expects_server_error
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_a_database_error_that_is_no_outage_stays_a_500(broken_app, htmx):
    response = broken_app.test_client().submit("/statement-timeout", htmx=htmx)
    (assert_error_fragment if htmx else assert_error_page)(response, 500)
    assert "Retry-After" not in response.headers


@pytest.mark.expects_server_error
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_503_with_the_database_unreachable_for_a_logged_in_user(app, client, htmx):
    member = new_member(app)
    assert client.submit("/login", {"email": member.email, "password": DEFAULT}).status_code == 303
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app_like(app, SQLALCHEMY_DATABASE_URI=unreachable_database_url()) as down:
        down_client = down.test_client()
        down_client.set_cookie(cookie.key, cookie.value)
        response = get(down_client, "/", htmx)
    (assert_error_fragment if htmx else assert_error_page)(response, 503)
    assert int(response.headers["Retry-After"]) > 0
    assert_security_headers(response)
