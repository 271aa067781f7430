"""Rate limits when their shared storage is down: counted per process, never a 500."""

import pytest

from tests.support.other_apps import LIMITER_AS_IN_PRODUCTION, app_like


def test_login_still_answers_when_the_rate_limit_redis_is_unreachable(app):
    with app_like(
        app,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
        RATE_LIMIT_LOGIN="2 per minute",
        **LIMITER_AS_IN_PRODUCTION,
    ) as broken:
        client = broken.test_client()
        statuses = [
            client.submit("/login", {"email": "nobody@example.org", "password": "x"}).status_code
            for _ in range(3)
        ]
    # The in-memory fallback keeps limiting while Redis is away.
    assert statuses == [422, 422, 429]


@pytest.mark.redis  # sharing limits between processes
def test_two_web_processes_share_one_count_through_redis(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "3 per minute")
    attempt = {"email": "nobody@example.org", "password": "x"}
    with app_like(app, RATE_LIMIT_LOGIN="3 per minute") as other_process:
        first, second = app.test_client(), other_process.test_client()
        statuses = [
            client.submit("/login", attempt).status_code
            for client in (first, second, first, second)
        ]
    assert statuses == [422, 422, 422, 429]
