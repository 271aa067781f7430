"""Probes for load balancers, and one structured log line per request."""

import json
import logging

import pytest

from tests.support.logs import own_records, request_lines
from tests.support.other_apps import app_like

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/hearth"
DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_says_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_database_and_redis_with_latencies(app, client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert isinstance(check["latency_ms"], int | float)
        assert check["latency_ms"] >= 0
    expected_mode = "redis" if app.config["REDIS_URL"] else "in-process"
    assert body["checks"]["redis"]["mode"] == expected_mode


@pytest.mark.expects_server_error  # a 503 is /readyz's answer while a service is down
@pytest.mark.parametrize(
    ("changes", "failing", "answering"),
    [
        ({"SQLALCHEMY_DATABASE_URI": DEAD_DATABASE}, "database", "redis"),
        ({"REDIS_URL": DEAD_REDIS}, "redis", "database"),
    ],
    ids=["database-down", "redis-down"],
)
def test_readyz_is_503_naming_the_check_that_failed(app, changes, failing, answering):
    with app_like(app, **changes) as other:
        response = other.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"][failing]["ok"] is False
    assert body["checks"][failing]["error"]
    assert body["checks"][failing]["latency_ms"] >= 0
    assert body["checks"][answering]["ok"] is True


@pytest.mark.expects_server_error
def test_readyz_is_503_when_both_are_down(app):
    with app_like(app, SQLALCHEMY_DATABASE_URI=DEAD_DATABASE, REDIS_URL=DEAD_REDIS) as other:
        response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert {name for name, check in response.get_json()["checks"].items() if not check["ok"]} == {
        "database",
        "redis",
    }


def test_healthz_stays_200_while_dependencies_are_down(app):
    with app_like(app, SQLALCHEMY_DATABASE_URI=DEAD_DATABASE, REDIS_URL=DEAD_REDIS) as other:
        assert other.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_are_never_rate_limited(client, url):
    assert all(client.get(url).status_code == 200 for _ in range(30))


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="hearth.request")
    return caplog


@pytest.mark.parametrize(
    ("method", "url", "headers", "status"),
    [
        ("GET", "/healthz", {}, 200),
        ("GET", "/login?next=/settings", {}, 200),
        ("GET", "/no/such/page", {}, 404),
        ("GET", "/settings", {"HX-Request": "true"}, 204),
        ("POST", "/login", {}, 400),
        ("DELETE", "/", {}, 405),
        ("POST", "/logout", {"X-CSRFToken": "forged"}, 400),
    ],
)
def test_one_structured_log_line_per_request(client, request_log, method, url, headers, status):
    response = client.open(url, method=method, headers=headers)
    assert response.status_code == status
    [line] = request_lines(request_log)
    assert line["method"] == method
    assert line["path"] == url.split("?")[0]
    assert line["status"] == status
    assert isinstance(line["duration_ms"], int | float)
    assert line["duration_ms"] >= 0
    assert line["htmx"] is ("HX-Request" in headers)


def test_log_line_never_contains_the_query_string(client, request_log):
    client.get("/password/reset/some-token?email=someone@example.org")
    [line] = request_lines(request_log)
    assert "someone@example.org" not in json.dumps(line)


@pytest.mark.expects_server_error
def test_unexpected_errors_are_logged_with_status_500(app, request_log):
    with app_like(app) as other:

        @other.get("/boom")
        def boom():
            raise RuntimeError("boom")

        other.test_client().get("/boom")
    [line] = request_lines(request_log)
    assert (line["path"], line["status"]) == ("/boom", 500)


def test_the_request_log_never_holds_an_emailed_token(client, caplog):
    with caplog.at_level(logging.INFO, logger="hearth.request"):
        client.get("/password/reset/SECRET-TOKEN-VALUE")
    lines = [record.getMessage() for record in own_records(caplog, "hearth.request")]
    assert lines and all("SECRET-TOKEN-VALUE" not in line for line in lines)
    assert '"/password/reset/[token]"' in lines[-1]
