"""A public group's or event's page, asked for with no session, may be kept by a shared
cache for PUBLIC_PAGE_MAX_AGE seconds (Cache-Control public, no Set-Cookie); with a
session or a language cookie, as an htmx fragment, or when the page starts a session,
it stays no-store. Behind a real nginx (Debian's) with proxy_cache, as deployment.md
sets it: a visitor's second request is served from the cache, a logged-in person's
never is, and a change shows once the time has passed."""

import threading
import time
import urllib.request

import pytest
from werkzeug.serving import make_server

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group, settings_form
from tests.polls.support import logged_in
from tests.support.nginx import Nginx, require_nginx
from webapp.extensions import db
from webapp.web.languages import LANGUAGE_COOKIE


@pytest.fixture
def walkers(app):
    with app.app_context():
        olu = make_user(email="olu@example.org")
        walkers = make_group(olu, name="Walkers", slug="walkers", summary="We walk.")
        add_member(walkers, make_user(email="mia@example.org"))
        event = make_event(walkers, title="Canal walk")
        db.session.commit()
        return f"/events/{event.id}-{event.slug}"


def test_a_visitors_public_pages_may_be_kept_and_no_one_elses(app, client, walkers):
    for path in ("/groups/walkers", walkers):
        page = client.get(path)
        assert (
            page.headers["Cache-Control"] == f"public, max-age={app.config['PUBLIC_PAGE_MAX_AGE']}"
        )
        assert "Set-Cookie" not in page.headers
        assert {"Cookie", "Accept-Language"} <= set(page.vary)
        # An htmx fragment of it, or the page for a visitor who chose a language.
        assert (
            client.get(path, headers={"HX-Request": "true"}).headers["Cache-Control"] == "no-store"
        )
        chose = app.test_client()
        chose.set_cookie(LANGUAGE_COOKIE, "es")
        assert chose.get(path).headers["Cache-Control"] == "no-store"
        # Anyone logged in.
        assert logged_in(app, "mia@example.org").get(path).headers["Cache-Control"] == "no-store"
    # Pages not marked stay private, whoever asks.
    for path in ("/", "/groups", "/events", "/login"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_an_event_with_comments_starts_no_session_for_a_visitor(app, client, walkers):
    """Its comments' section made a form token for a visitor, who has no form there, and
    with it a session: no copy of the page could be kept."""
    olu = logged_in(app, "olu@example.org")
    event_id = walkers.split("/")[2].split("-")[0]
    said = olu.submit(f"/events/{event_id}/comments", {"comment-body": "See you at the lock."})
    assert said.status_code == 303
    page = client.get(walkers)
    assert "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"].startswith("public")


class _Nginx(Nginx):
    """Debian's nginx in front of the app, caching as docs/deployment.md says."""

    def __init__(self, folder, upstream):
        super().__init__(
            folder,
            f"""
            location / {{
              proxy_pass {upstream};
              proxy_set_header Host $http_host;
              proxy_cache hearth;
              proxy_cache_bypass $cookie_hearth_session $cookie_hearth_language;
              proxy_no_cache $cookie_hearth_session $cookie_hearth_language;
              add_header X-Cache-Status $upstream_cache_status always;
            }}
            """,
            before=f"proxy_cache_path {folder}/cache keys_zone=hearth:1m;",
        )

    def get(self, path, cookie=None):
        """(X-Cache-Status, Cache-Control, body) of path through the cache."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        if cookie:
            request.add_header("Cookie", cookie)
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            headers = answer.headers
            return (
                headers.get("X-Cache-Status"),
                headers.get("Cache-Control"),
                answer.read().decode(),
            )


@pytest.fixture
def cache(app, walkers, tmp_path, monkeypatch):
    require_nginx()
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_MAX_AGE", 2)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    nginx = _Nginx(tmp_path, f"http://127.0.0.1:{server.server_port}")
    yield nginx
    nginx.stop()
    server.shutdown()
    server.server_close()


def test_nginx_keeps_a_visitors_page_and_never_a_members(app, cache, walkers):
    first = cache.get("/groups/walkers")
    second = cache.get("/groups/walkers")
    assert first[0] == "MISS" and second[0] == "HIT"
    assert second[2] == first[2] and "Walkers" in second[2]
    assert cache.get(walkers)[0] == "MISS" and cache.get(walkers)[0] == "HIT"

    member = logged_in(app, "mia@example.org")
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = f"{name}={member.get_cookie(name).value}"
    for _ in range(2):
        status, control, body = cache.get("/groups/walkers", cookie=cookie)
        assert status == "BYPASS" and control == "no-store"
        assert "Log out" in body

    # A change shows once the copy's time (2 s here) has passed. nginx counts that time
    # in whole seconds from its own clock, so the copy may live up to a second longer.
    olu = logged_in(app, "olu@example.org")
    settings = settings_form("Walkers", "walkers", description="We walk on Sundays now.")
    assert olu.submit("/groups/walkers/manage/settings", settings).status_code == 303
    assert "Sundays" not in cache.get("/groups/walkers")[2]
    deadline = time.monotonic() + 6
    while (answer := cache.get("/groups/walkers"))[0] == "HIT" and time.monotonic() < deadline:
        time.sleep(0.25)
    status, _control, body = answer
    assert status in ("EXPIRED", "MISS") and "Sundays" in body
