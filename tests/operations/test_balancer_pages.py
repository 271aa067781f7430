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
from tests.support.raw_http import read_answer
from tests.support.smtp import free_port
from webapp.operations.balancer_pages import HAPROXY_BUFFER, STATUSES, STYLE

MESSAGE = {
    "en": "may or may not have been done",
    "es": "puede que se haya hecho o no",
}


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
        assert MESSAGE[default] in html
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


@pytest.fixture
def nginx_before_no_machine(app, tmp_path):
    """Debian's nginx, set up as docs/deployment.md says, in front of a web machine that
    is not there: its port refuses every connection. Its port."""
    require_nginx()
    _, pages = written(app, tmp_path, "--language", "es")
    nginx = Nginx(
        tmp_path,
        f"""
        location / {{ proxy_pass http://127.0.0.1:{free_port()}; }}
        error_page 502 503 504 /hearth-balancer-pages/$status.html;
        location /hearth-balancer-pages/ {{
          alias {pages}/;
          internal;
        }}
        """,
    )
    yield nginx.port
    nginx.stop()


def test_nginx_set_up_as_the_docs_say_answers_with_the_page(nginx_before_no_machine):
    connection = http.client.HTTPConnection("127.0.0.1", nginx_before_no_machine, timeout=10)
    connection.request("POST", "/events/7/rsvp", body="answer=going")
    answer = connection.getresponse()
    body = answer.read().decode()
    connection.close()

    assert answer.status == 502
    assert answer.headers["Content-Type"].startswith("text/html")
    assert 'data-status="no-answer"' in body and MESSAGE["es"] in body

    # The pages' own address is nginx's, inside: a visitor asking for it finds nothing.
    connection = http.client.HTTPConnection("127.0.0.1", nginx_before_no_machine, timeout=10)
    connection.request("GET", "/hearth-balancer-pages/502.html")
    outside = connection.getresponse()
    outside.read()
    connection.close()
    assert outside.status != 200
