"""Security headers, cookie flags, and no inline code that the Content-Security-Policy blocks."""

import re
import secrets

import pytest

from tests.accounts.factories import make_user
from tests.support.html_checks import inline_code
from tests.support.other_apps import app_like

RESPONSES = [
    "/",
    "/login",
    "/signup",
    "/settings",
    "/no/such/page",
    "/healthz",
    "/static/js/app.js",
    "/static/css/app.css",
]


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("url", RESPONSES)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_every_response_carries_the_security_headers(client, url, htmx):
    response = client.fragment(url) if htmx else client.get(url)
    response.close()  # static files are streamed from an open file
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "no-referrer"}
    assert response.headers["Content-Security-Policy"]


def test_csp_allows_only_our_own_scripts_and_styles(client):
    directives = csp_directives(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    policy = client.get("/").headers["Content-Security-Policy"]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert loophole not in policy


def test_csp_is_on_error_pages_too(client):
    assert csp_directives(client.submit("/login", {}, csrf=False))["script-src"] == ["'self'"]


def test_pages_are_not_kept_in_shared_caches(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def session_cookie(response, name="hearth_session"):
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(name + "=")]
    assert cookies, f"no {name} cookie set"
    return [part.strip().lower() for part in cookies[-1].split(";")]


def test_session_cookie_is_httponly_and_samesite_lax(client):
    flags = session_cookie(client.get("/login"))
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags


def test_remember_cookie_is_httponly_and_samesite_lax(app, auth):
    with app.app_context():
        email = make_user().email
    flags = session_cookie(auth.login(email, remember=True), "hearth_remember")
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_production_sets_the_secure_flag_on_cookies(app):
    production = {
        "HEARTH_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "REDIS_URL": app.config["REDIS_URL"] or "redis://127.0.0.1:1/0",  # required; unused
    }
    with app_like(app, **production) as prod_app:
        response = prod_app.test_client().get("/login", base_url="https://hearth.example")
    flags = session_cookie(response)
    assert {"secure", "httponly", "samesite=lax"} <= set(flags)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_development_sends_no_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_htmx_is_configured_to_need_no_inline_style_or_eval(client):
    html = client.get("/").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    assert '"allowScriptTags": false' in html


def test_scripts_are_our_own_static_files(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(
        r"<script src=\"/static/js/htmx-2.0.11.min.[0-9a-f]{12}.js\" defer></script>", html
    )
    assert "://" not in "".join(line for line in html.splitlines() if "<script" in line)


ANONYMOUS_PAGES = [
    "/",
    "/signup",
    "/login",
    "/password/forgot",
    "/verify/resend",
    "/signup/check-your-inbox",
    "/verify/not-a-real-token",
    "/password/reset/not-a-real-token",
    "/no/such/page",
]
MEMBER_PAGES = ["/", "/settings", "/settings/password", "/no/such/page"]


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_no_inline_script_or_style_on_visitor_pages(client, url, htmx):
    response = client.fragment(url) if htmx else client.get(url)
    assert inline_code(response.get_data(as_text=True)) == []


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_no_inline_script_or_style_on_member_pages(app, client, auth, url):
    with app.app_context():
        email = make_user().email
    auth.login(email)
    response = client.get(url)
    assert "Log out" in response.get_data(as_text=True)
    assert inline_code(response.get_data(as_text=True)) == []


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/signup", {"email": "bad", "password": "x"}),
        ("/login", {"email": "a@example.org", "password": "Wrong-Password-1!"}),
        ("/password/forgot", {"email": ""}),
    ],
)
def test_no_inline_script_or_style_on_pages_with_form_errors(client, url, data):
    response = client.submit(url, data)
    assert response.status_code == 422
    assert inline_code(response.get_data(as_text=True)) == []


def test_inline_code_finder_sees_what_a_strict_csp_blocks():
    html = (
        '<script>alert(1)</script><script src="/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="go()"><a href="javascript:go()">x</a></p>'
    )
    assert len(inline_code(html)) == 5


def login_attempts(client, forwarded_for):
    """Wrong-password logins, each for a new address (so only the per-client limit counts),
    each claiming to come from the X-Forwarded-For given; their statuses."""
    return [
        client.submit(
            "/login",
            {"email": f"nobody{number}@example.org", "password": "Wrong-Password-1!"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for number, address in enumerate(forwarded_for)
    ]


def test_a_client_cannot_escape_the_login_limit_by_forging_x_forwarded_for(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "3 per minute")
    assert app.config["TRUSTED_PROXY_HOPS"] == 0

    statuses = login_attempts(app.test_client(), [f"203.0.113.{n}" for n in range(1, 6)])

    assert statuses == [422, 422, 422, 429, 429]


def test_behind_one_trusted_proxy_the_proxys_header_names_the_client(app):
    with app_like(app, TRUSTED_PROXY_HOPS=1, RATE_LIMIT_LOGIN="3 per minute") as proxied:
        # Each address is its own client: none is limited.
        spread = login_attempts(proxied.test_client(), [f"203.0.113.{n}" for n in range(1, 6)])
        # One address is one client, whatever else the request says.
        same = login_attempts(proxied.test_client(), ["198.51.100.7"] * 4)
        # A forged entry in front of the proxy's own is ignored: the proxy appends the
        # address it saw last, and only the last hop is trusted.
        forged = login_attempts(
            proxied.test_client(), [f"10.0.0.{n}, 198.51.100.8" for n in range(1, 5)]
        )

    assert spread == [422] * 5
    assert same == [422, 422, 422, 429]
    assert forged == [422, 422, 422, 429]
