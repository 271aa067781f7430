"""`flask balancer-pages`: the pages a balancer answers with when no web machine did, in
the site's language, as HTML files and as whole HTTP answers that HAProxy sends as they
are. The scale test serves them through a real HAProxy; browser/test_no_answer_flow.py
reads one in Chromium."""

import base64
import hashlib
import http.client
import re

import pytest

from tests.support import html_checker
from tests.support.nginx import Nginx, require_nginx
from tests.support.ports import free_port
from tests.support.raw_http import read_answer
from webapp.operations.balancer_pages import HAPROXY_BUFFER, STATUSES, STYLE

MESSAGE = {
    "en": "may or may not have been done",
    "es": "puede que se haya hecho o no",
}
TOO_LARGE = {
    "en": "larger than this site accepts, so nothing was done",
    "es": "mayor de lo que este sitio acepta, así que no se ha hecho nada",
}


def says(html, status, language):
    """Whether html is the page for status, in language: the too-large page for a 413,
    the no-answer page for the others, never both."""
    if status == 413:
        return (
            'data-status="too-large"' in html
            and TOO_LARGE[language] in html
            and MESSAGE[language] not in html
        )
    return (
        'data-status="no-answer"' in html
        and MESSAGE[language] in html
        and TOO_LARGE[language] not in html
    )


def written(app, tmp_path, *options):
    result = app.test_cli_runner().invoke(
        args=["balancer-pages", str(tmp_path / "pages"), *options]
    )
    assert result.exit_code == 0, result.output
    return result, tmp_path / "pages"


@pytest.mark.parametrize("default", ["en", "es"])
def test_each_status_is_written_as_a_page_and_a_whole_answer_in_the_sites_language(
    app, tmp_path, monkeypatch, default
):
    monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", default)
    result, pages = written(app, tmp_path)

    names = sorted(path.name for path in pages.iterdir())
    assert names == sorted(f"{status}.{kind}" for status in STATUSES for kind in ("html", "http"))
    assert result.output.split() == [str(pages / name) for name in names]
    for status in STATUSES:
        page = (pages / f"{status}.html").read_bytes()
        raw = (pages / f"{status}.http").read_bytes()
        response, body = read_answer(raw)
        assert response.status == status
        assert body == page
        assert int(response.headers["Content-Length"]) == len(page)
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert response.headers["Content-Language"] == default
        assert response.headers["Cache-Control"] == "no-store"
        assert len(raw) <= HAPROXY_BUFFER
        html = page.decode()
        assert f'<html lang="{default}"' in html
        assert says(html, status, default)
        assert "<script" not in html


def test_a_language_asked_for_wins_over_the_sites_and_an_unknown_one_is_refused(
    app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "DEFAULT_LANGUAGE", "en")
    _, pages = written(app, tmp_path, "--language", "es")
    assert MESSAGE["es"] in (pages / "502.html").read_text()

    refused = app.test_cli_runner().invoke(
        args=["balancer-pages", str(tmp_path / "other"), "--language", "xx"]
    )
    assert refused.exit_code == 2
    assert "'xx' is not one of 'en', 'es'" in refused.output
    assert not (tmp_path / "other").exists()


def test_the_page_needs_nothing_from_hearth_and_its_policy_allows_only_its_own_style(app, tmp_path):
    _, pages = written(app, tmp_path)
    raw = (pages / "503.http").read_bytes()
    response, body = read_answer(raw)
    html = body.decode()

    # Nothing to fetch: the machines that serve Hearth's files may be the ones missing.
    assert re.findall(r'(?:src|href)="([^"]*)"', html) == ["/"]
    assert f"<style>{STYLE}</style>" in html
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy
    if html_checker.available():
        assert html_checker.errors(html) == []


NGINX_BODY_LIMIT_KB = 64


@pytest.fixture
def nginx_before_no_machine(app, tmp_path):
    """Debian's nginx, set up as docs/deployment.md says, in front of a web machine that
    is not there: its port refuses every connection. Its port. (Its body limit is the
    docs' scaled down, so that a test need not send megabytes to pass it.)"""
    require_nginx()
    _, pages = written(app, tmp_path, "--language", "es")
    nginx = Nginx(
        tmp_path,
        f"""
        client_max_body_size {NGINX_BODY_LIMIT_KB}k;
        location / {{ proxy_pass http://127.0.0.1:{free_port()}; }}
        error_page 413 502 503 504 /hearth-balancer-pages/$status.html;
        location /hearth-balancer-pages/ {{
          alias {pages}/;
          internal;
        }}
        """,
    )
    yield nginx.port
    nginx.stop()


def ask(port, method, path, body=None):
    """(status, Content-Type, body as text) of nginx's answer to one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body)
        answer = connection.getresponse()
        return answer.status, answer.headers["Content-Type"], answer.read().decode()
    finally:
        connection.close()


def test_nginx_set_up_as_the_docs_say_answers_with_the_page(nginx_before_no_machine):
    status, kind, body = ask(nginx_before_no_machine, "POST", "/events/7/rsvp", "answer=going")
    assert status == 502
    assert kind.startswith("text/html")
    assert says(body, 502, "es")

    # A form larger than nginx takes is refused by nginx, before any machine: the page
    # says so, and that nothing was done.
    too_large = b"body=" + b"x" * (NGINX_BODY_LIMIT_KB * 1024 + 1)
    status, kind, body = ask(
        nginx_before_no_machine, "POST", "/groups/harbour-rowers/discussions", too_large
    )
    assert status == 413
    assert kind.startswith("text/html")
    assert says(body, 413, "es")

    # The pages' own address is nginx's, inside: a visitor asking for it finds nothing.
    status, _, _ = ask(nginx_before_no_machine, "GET", "/hearth-balancer-pages/502.html")
    assert status != 200
