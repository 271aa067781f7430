"""Configuration: the embedded default, production's refusals, and URLs from the environment.

webapp.config reads the environment when it is imported, so starts from a given
environment run in a fresh Python process; overrides given to create_app run in this one.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.other_apps import app_like, close, settings_of
from webapp import ROOT, create_app

SETTINGS_ENV = {
    "SECRET_KEY",
    "HEARTH_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_OUTBOX_DIR",
    "UPLOAD_DIR",
    "BASE_URL",
    "QUEUE_NAME",
}
# Start the app the way wsgi.py does, but without reading a developer's .env file.
START = """
import json, sys
import dotenv
dotenv.load_dotenv = lambda *args, **kwargs: False
from webapp import create_app
app = create_app()
names = sys.argv[1:]
print(json.dumps({name: app.config.get(name) for name in names}, default=str))
"""
SHOWN = [
    "HEARTH_ENV",
    "SQLALCHEMY_DATABASE_URI",
    "REDIS_URL",
    "JOBS_ASYNC",
    "MAIL_SERVER",
    "MAIL_OUTBOX_DIR",
    "SESSION_COOKIE_SECURE",
    "SECRET_KEY",
    "BASE_URL",
]


def start(env):
    """Start the app in a fresh process with exactly env as its settings."""
    clean = {name: value for name, value in os.environ.items() if name not in SETTINGS_ENV}
    return subprocess.run(
        [sys.executable, "-c", START, *SHOWN],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_from(**env):
    result = start(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default_needs_no_configuration():
    settings = settings_from()
    instance = ROOT / "instance"
    assert settings["HEARTH_ENV"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'hearth.db'}"
    assert settings["REDIS_URL"] is None
    assert settings["JOBS_ASYNC"] is False
    assert settings["MAIL_SERVER"] is None
    assert Path(settings["MAIL_OUTBOX_DIR"]) == instance / "outbox"
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert len(settings["SECRET_KEY"]) >= 32


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgres://u:p@db.example:5432/hearth",
            "postgresql+psycopg://u:p@db.example:5432/hearth",
        ),
        ("postgresql://u@db.example/hearth", "postgresql+psycopg://u@db.example/hearth"),
    ],
)
def test_database_url_from_the_environment_names_the_psycopg_driver(given, used):
    assert settings_from(DATABASE_URL=given)["SQLALCHEMY_DATABASE_URI"] == used


def test_production_services_come_from_the_environment():
    # REDIS_URL alone decides JOBS_ASYNC: it is derived after the environment is read.
    settings = settings_from(
        HEARTH_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL="postgres://u@db.example/hearth",
        REDIS_URL="redis://redis.example:6379/0",
        MAIL_SERVER="smtp.example",
        BASE_URL="https://hearth.example/",
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/hearth"
    assert settings["REDIS_URL"] == "redis://redis.example:6379/0"
    assert settings["JOBS_ASYNC"] is True
    assert settings["MAIL_SERVER"] == "smtp.example"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["BASE_URL"] == "https://hearth.example"


@pytest.mark.parametrize("key", [None, "dev"])
def test_production_start_without_a_real_secret_key_fails_with_a_clear_message(key):
    env = {"HEARTH_ENV": "production"} | ({"SECRET_KEY": key} if key else {})
    result = start(env)
    assert result.returncode != 0
    assert "RuntimeError: SECRET_KEY is missing or too weak" in result.stderr
    assert "secrets.token_hex(32)" in result.stderr


@pytest.mark.parametrize(
    "key",
    [None, "", "dev", "  DEV  ", "change-me", "secret", "a1b2c3d4e5f6", "x" * 31, "secret" * 6],
)
def test_production_app_refuses_a_missing_default_or_short_secret_key(app, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is missing or too weak"):
        create_app(settings_of(app, HEARTH_ENV="production", SECRET_KEY=key))


def test_production_app_starts_with_a_long_random_secret_key(app):
    key = secrets.token_hex(32)
    redis_url = "redis://127.0.0.1:1/0"  # required, and not used by /healthz
    with app_like(app, HEARTH_ENV="production", SECRET_KEY=key, REDIS_URL=redis_url) as production:
        assert production.config["SECRET_KEY"] == key
        assert production.config["SESSION_COOKIE_SECURE"] is True
        assert production.config["REMEMBER_COOKIE_SECURE"] is True
        assert production.test_client().get("/healthz").status_code == 200


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="HEARTH_ENV must be one of"):
        create_app({"HEARTH_ENV": "staging"})


def test_request_size_limit_is_max_request_kb_not_the_upload_limit(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    with app_like(app, MAX_UPLOAD_MB=3, MAX_REQUEST_KB=64) as other:
        assert other.config["MAX_CONTENT_LENGTH"] == 64 * 1024


def test_body_over_the_request_limit_is_refused_with_413(app):
    with app_like(app, MAX_REQUEST_KB=1024) as other:
        client = other.test_client()
        response = client.submit("/signup", {"email": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413


def test_production_start_without_redis_url_fails_with_a_clear_message():
    result = start({"HEARTH_ENV": "production", "SECRET_KEY": secrets.token_hex(32)})
    assert result.returncode != 0
    assert "RuntimeError: REDIS_URL is missing" in result.stderr


@pytest.mark.parametrize("redis_url", [None, ""])
def test_production_app_refuses_to_run_without_redis_url(app, redis_url):
    settings = settings_of(
        app, HEARTH_ENV="production", SECRET_KEY=secrets.token_hex(32), REDIS_URL=redis_url
    )
    with pytest.raises(RuntimeError, match="REDIS_URL is missing"):
        create_app(settings)


def derived_from(app, **changes):
    """An app from the session's settings minus the derived ones, plus changes."""
    settings = settings_of(app, **changes)
    for derived in ("JOBS_ASYNC", "RATELIMIT_STORAGE_URI"):
        settings.pop(derived)
    return settings


def test_derived_settings_follow_the_final_configuration(app):
    redis_url = "redis://127.0.0.1:1/0"
    other = create_app(derived_from(app, REDIS_URL=redis_url))
    embedded = create_app(derived_from(app, REDIS_URL=None))
    close(other)
    close(embedded)
    assert other.config["JOBS_ASYNC"] is True
    assert other.config["RATELIMIT_STORAGE_URI"] == redis_url
    assert embedded.config["JOBS_ASYNC"] is False
    assert embedded.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_a_dead_workers_message_is_sent_again_within_a_minute_by_default(app):
    # The lease must outlast a slow SMTP conversation, and lease plus one sweep fit a minute.
    with app_like(app) as defaults:
        config = defaults.config
    assert config["MAIL_TIMEOUT"] < config["OUTBOX_CLAIM_TIMEOUT"] - 5
    assert config["OUTBOX_CLAIM_TIMEOUT"] + config["OUTBOX_SWEEP_INTERVAL"] < 60


def test_development_keeps_one_generated_secret_key_across_restarts():
    first = settings_from()["SECRET_KEY"]
    second = settings_from()["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    key_file = ROOT / "instance" / "secret_key"
    assert key_file.read_text().strip() == first
    assert key_file.stat().st_mode & 0o077 == 0
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(key_file)], cwd=ROOT, check=False, timeout=30
    )
    assert ignored.returncode == 0, "the secret key file must never be committed"


def test_base_url_is_the_request_address_in_development_and_set_elsewhere():
    assert settings_from()["BASE_URL"] is None
    production = settings_from(
        HEARTH_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        REDIS_URL="redis://redis.example:6379/0",
    )
    assert production["BASE_URL"] == "http://localhost:5000"
