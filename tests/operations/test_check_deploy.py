"""`flask check-deploy`: every unsafe setting named, exit 1; a sound one passes. The proxy
check compares TRUSTED_PROXY_HOPS with the forwarding headers requests really came with."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_REDIS_URL
from webapp import ROOT
from webapp.database.redis_client import get_redis
from webapp.operations import deploy_checks
from webapp.operations.deploy_checks import SEEN_KEY, proxy_finding, run_checks, settings_findings

FLASK = Path(sys.executable).parent / "flask"
SOUND = {
    "HEARTH_ENV": "production",
    "SECRET_KEY": "9f2c" + secrets.token_hex(30),
    # Never connected to: the checks read settings.
    "DATABASE_URL": "postgresql+psycopg://hearth@db.invalid/hearth",
    "REDIS_URL": TEST_REDIS_URL or "",
    "BASE_URL": "https://hearth.example.org",
}
SETTINGS_ENV = {
    *SOUND,
    "FLASK_DEBUG",
    "MAX_UPLOAD_MB",
    "MAX_REQUEST_KB",
    "TRUSTED_PROXY_HOPS",
    "FLASK_APP",
}


def check_deploy(tmp_path, **changes):
    """Run `flask check-deploy` in a fresh process with SOUND settings changed by changes."""
    clean = {name: value for name, value in os.environ.items() if name not in SETTINGS_ENV}
    env = {**clean, **SOUND, **changes}
    env = {name: value for name, value in env.items() if value is not None}
    # A folder without .env, so that a developer's own settings do not leak in.
    return subprocess.run(
        [str(FLASK), "--app", f"{ROOT}/wsgi.py", "check-deploy"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture()
def nothing_seen(app):
    with app.app_context():
        get_redis().delete(SEEN_KEY)
    deploy_checks._noted_at.clear()
    yield
    with app.app_context():
        get_redis().delete(SEEN_KEY)
    deploy_checks._noted_at.clear()


@pytest.mark.redis
def test_a_sound_production_setup_passes(tmp_path, nothing_seen):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert "Every check passed." in result.stdout


@pytest.mark.redis
@pytest.mark.parametrize(
    ("changes", "check", "says"),
    [
        ({"FLASK_DEBUG": "1"}, "debug", "debug or testing is on"),
        ({"SECRET_KEY": "secret" * 6}, "secret key", "too weak"),
        ({"SECRET_KEY": None}, "secret key", "too weak"),
        ({"REDIS_URL": None}, "redis", "REDIS_URL is missing"),
        ({"DATABASE_URL": None}, "database", "SQLite"),
        ({"MAX_UPLOAD_MB": "0"}, "upload limit", "no size limit"),
        ({"MAX_REQUEST_KB": "0"}, "upload limit", "no size limit"),
        ({"HEARTH_ENV": "development"}, "environment", "set HEARTH_ENV=production"),
    ],
)
def test_each_unsafe_setting_is_named_and_fails_the_command(
    tmp_path, nothing_seen, changes, check, says
):
    key_file = ROOT / "instance" / "secret_key"
    had_key_file = key_file.exists()
    result = check_deploy(tmp_path, **changes)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith(f"FAIL  {check}:")]
    assert says in line
    assert "not fit for production" in result.stdout
    # A refused key is reported, never written down on production's behalf.
    assert key_file.exists() == had_key_file


def test_cookies_that_are_not_secure_fail(app):
    config = {**app.config, "HEARTH_ENV": "production", "SESSION_COOKIE_SECURE": False}
    [cookies] = [f for f in settings_findings(config) if f.check == "cookies"]
    assert not cookies.ok
    assert "not Secure" in cookies.message


@pytest.mark.parametrize(
    ("configured", "seen", "ok", "says"),
    [
        (0, {}, True, "no request seen"),
        (0, {0: 1}, True, "matches"),
        (0, {1: 1}, False, "Set TRUSTED_PROXY_HOPS=1"),
        (1, {1: 1, 2: 1}, True, "matches"),
        (1, {0: 1, 1: 1}, False, "past the proxy"),
        (2, {1: 1}, False, "Set TRUSTED_PROXY_HOPS=1"),
    ],
)
def test_the_proxy_count_is_compared_with_the_headers_seen(configured, seen, ok, says):
    finding = proxy_finding(configured, seen)
    assert finding.ok is ok
    assert says in finding.message


@pytest.mark.redis
def test_requests_through_a_proxy_the_app_was_not_told_of_fail_the_check(app, client, nothing_seen):
    assert app.config["TRUSTED_PROXY_HOPS"] == 0
    client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.7"})  # probes do not count
    with app.app_context():
        [before] = [f for f in run_checks() if f.check == "proxy"]
    assert before.ok
    client.get("/login", headers={"X-Forwarded-For": "203.0.113.7"})
    with app.app_context():
        [after] = [f for f in run_checks() if f.check == "proxy"]
    assert not after.ok
    assert "TRUSTED_PROXY_HOPS is 0" in after.message
