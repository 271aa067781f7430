"""Settings from the environment: one class per situation, chosen by HEARTH_ENV."""

import os
import secrets

from dotenv import load_dotenv

load_dotenv()

WEAK_SECRET_KEYS = {"", "dev", "change-me", "changeme", "secret", "development"}


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url():
    url = os.environ.get("DATABASE_URL")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()  # None: SQLite in instance/, set in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    QUEUE_NAME = os.environ.get("QUEUE_NAME", "hearth")
    # Without Redis, jobs run inside the web process the moment they are queued.
    JOBS_ASYNC = REDIS_URL is not None
    BASE_URL = os.environ.get("BASE_URL", "http://localhost:5000").rstrip("/")

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Hearth <hearth@localhost>")
    MAIL_SUPPRESS_SEND = False
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None  # None: instance/outbox

    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or None  # None: instance/uploads
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))

    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    TOKEN_MAX_AGE = 3600
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

    SESSION_COOKIE_NAME = "hearth_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "hearth_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    # The token lives as long as the session; a form left open over lunch still posts.
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_ENABLED = True
    # Off: it would put Retry-After on every answer, successes too. The 429 page sets its own.
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = "hearth-limits"
    # If Redis goes away, count per process rather than turn every login into a 500.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATE_LIMIT_SIGNUP = os.environ.get("RATE_LIMIT_SIGNUP", "10 per hour")
    RATE_LIMIT_LOGIN = os.environ.get("RATE_LIMIT_LOGIN", "10 per minute")
    RATE_LIMIT_EMAIL = os.environ.get("RATE_LIMIT_EMAIL", "5 per hour")
    RATE_LIMIT_PER_ADDRESS = os.environ.get("RATE_LIMIT_PER_ADDRESS", "5 per 15 minutes")
    # Per logged-in user, on what mails other people: inviting (and resending), asking to
    # join (each request mails the organisers), changing one's email address.
    RATE_LIMIT_INVITE = os.environ.get("RATE_LIMIT_INVITE", "20 per 10 minutes;100 per day")
    RATE_LIMIT_JOIN = os.environ.get("RATE_LIMIT_JOIN", "10 per hour")
    RATE_LIMIT_EMAIL_CHANGE = os.environ.get("RATE_LIMIT_EMAIL_CHANGE", "5 per hour")
    # Per user, on writing content others see (starting a group; events, polls... to come).
    RATE_LIMIT_CONTENT = os.environ.get("RATE_LIMIT_CONTENT", "10 per hour;30 per day")
    # Server-side life of a login (README, "Sessions"): idle, and absolute since login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(14 * 24 * 60)))
    SESSION_ABSOLUTE_MINUTES = int(os.environ.get("SESSION_ABSOLUTE_MINUTES", str(30 * 24 * 60)))

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    """The embedded default: runs with nothing configured."""

    SECRET_KEY = Config.SECRET_KEY or secrets.token_hex(32)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  (tests only)
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  (fast hashes for tests)
    RATELIMIT_KEY_PREFIX = f"hearth-test-{secrets.token_hex(4)}"


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_for(name=None):
    name = name or os.environ.get("HEARTH_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"HEARTH_ENV must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None


def check_production_settings(config):
    """Refuse to run in production with settings that would be unsafe."""
    key = config.get("SECRET_KEY") or ""
    # Few distinct characters ("secret" * 6, "x" * 40) means typed, not generated.
    if key.strip().lower() in WEAK_SECRET_KEYS or len(key) < 32 or len(set(key)) < 12:
        raise RuntimeError(
            "SECRET_KEY is missing or too weak. Production needs a random value of at least "
            "32 characters, for example: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
