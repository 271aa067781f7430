"""Settings from the environment: one class per situation, chosen by HEARTH_ENV.

Kept whole: whoever sets Hearth up reads here every setting with its reason, what refuses
an unsafe one in production, and what is derived from the others, in one file."""

import os
import re
import secrets
import sys
from pathlib import Path

from dotenv import load_dotenv

load_dotenv()


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
    # No ping before each checkout (a round trip on every request): connections are
    # replaced before a server or proxy would time them out, and a GET that meets a
    # dropped one is answered with a redirect to itself (webapp.web.errors).
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_pre_ping": False,
        "pool_recycle": int(os.environ.get("DATABASE_POOL_RECYCLE", "300")),
    }
    # Behind a pooler in transaction mode (PgBouncer's pool_mode = transaction, before
    # 1.21), where each transaction may run on another server connection: nothing is kept
    # on a connection, so no statement is prepared on the server (webapp.database.setup).
    DATABASE_TRANSACTION_POOLER = _env_bool("DATABASE_TRANSACTION_POOLER")
    REDIS_URL = os.environ.get("REDIS_URL") or None
    QUEUE_NAME = os.environ.get("QUEUE_NAME", "hearth")
    JOBS_ASYNC = None  # None: derived from REDIS_URL in finalize()
    # None: in development, links follow the address the app is served on.
    BASE_URL = os.environ.get("BASE_URL") or None
    # How long a shared cache (nginx's proxy_cache, a CDN) may keep a public group's or
    # event's page as a visitor without a session sees it (webapp.web.hooks).
    PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "60"))
    # Which websites may frame the site's embedded list of events (webapp.open_web.embeds):
    # a Content-Security-Policy frame-ancestors value.
    EMBED_FRAME_ANCESTORS = os.environ.get("EMBED_FRAME_ANCESTORS", "*")

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Hearth <hearth@localhost>")
    MAIL_SUPPRESS_SEND = False
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None  # None: instance/outbox
    # Seconds an SMTP server may stay silent before a delivery attempt gives up.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "20"))

    # A message claimed this long ago and not sent belongs to a dead worker: send it again.
    # Kept above MAIL_TIMEOUT and below a minute with the sweep interval added.
    OUTBOX_CLAIM_TIMEOUT = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT", "40"))
    OUTBOX_SWEEP_INTERVAL = int(os.environ.get("OUTBOX_SWEEP_INTERVAL", "10"))
    # A new message is queued after commit; the sweep queues it itself after this long.
    OUTBOX_REQUEUE_AFTER = int(os.environ.get("OUTBOX_REQUEUE_AFTER", "60"))
    # Notices of an event's new time or place to one person: changes within this many
    # seconds go out as one message, and at most this many go out in any 24 hours
    # (webapp/events/mail/change_notices.py).
    EVENT_CHANGE_NOTICE_WINDOW = int(os.environ.get("EVENT_CHANGE_NOTICE_WINDOW", "600"))
    EVENT_CHANGE_NOTICES_PER_DAY = int(os.environ.get("EVENT_CHANGE_NOTICES_PER_DAY", "3"))

    # Uploaded files go through webapp.storage: STORAGE_BACKEND names the backend ("local":
    # a folder, UPLOAD_DIR, never under static/), so an object store can be added there.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or None  # None: instance/uploads
    # Templates compiled once and kept on disk for every later process (webapp.web.templating);
    # None: instance/compiled-templates.
    TEMPLATE_CACHE_DIR = os.environ.get("TEMPLATE_CACHE_DIR") or None
    # The largest file the upload view takes; every other request keeps MAX_REQUEST_KB.
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "10"))
    MAX_REQUEST_KB = int(os.environ.get("MAX_REQUEST_KB", "1024"))
    # An image larger than this many pixels is refused (a decompression bomb is small on
    # disk and huge in memory); Pillow's own guard is set to the same number.
    MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", str(40_000_000)))

    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    TOKEN_MAX_AGE = 3600
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
    # Who may read /metrics from afar (Authorization: Bearer ...); unset: this machine only.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

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
    RATELIMIT_STORAGE_URI = None  # None: REDIS_URL, else per process, in finalize()
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
    # join (each request mails the organisers), changing one's email address, answering
    # an event and changing one.
    RATE_LIMIT_INVITE = os.environ.get("RATE_LIMIT_INVITE", "20 per 10 minutes;100 per day")
    RATE_LIMIT_JOIN = os.environ.get("RATE_LIMIT_JOIN", "10 per hour")
    RATE_LIMIT_EMAIL_CHANGE = os.environ.get("RATE_LIMIT_EMAIL_CHANGE", "5 per hour")
    # Answering an event mails a confirmation, and leaving it the next in line.
    RATE_LIMIT_ANSWER = os.environ.get("RATE_LIMIT_ANSWER", "30 per 10 minutes;100 per day")
    # Organisers' changes that mail the people going: a new time or place, a cancellation,
    # a promotion after removing someone.
    # How many announcements a group may send in any seven days.
    ANNOUNCEMENTS_PER_WEEK = int(os.environ.get("ANNOUNCEMENTS_PER_WEEK", "3"))
    # Whether workers send each person's digest at their 08:00 (webapp/digest/); off in
    # tests, where a digest due by the wall clock would land in tests about other mail.
    DIGESTS = _env_bool("DIGESTS", default=True)
    RATE_LIMIT_EVENT_NOTICES = os.environ.get("RATE_LIMIT_EVENT_NOTICES", "30 per hour;100 per day")
    # Per user, on writing content others see: starting a group, an event or a poll.
    RATE_LIMIT_CONTENT = os.environ.get("RATE_LIMIT_CONTENT", "10 per hour;30 per day")
    # Comments and replies by one member: a conversation, not a flood.
    RATE_LIMIT_COMMENTS = os.environ.get("RATE_LIMIT_COMMENTS", "6 per minute;200 per day")
    # Per user, on uploading files to events (refused uploads count too).
    RATE_LIMIT_UPLOAD = os.environ.get("RATE_LIMIT_UPLOAD", "20 per hour;60 per day")
    # Per user, on reporting a comment, an event or a person (each new case mails the
    # group's organisers or the site admins).
    RATE_LIMIT_REPORT = os.environ.get("RATE_LIMIT_REPORT", "5 per hour;20 per day")
    # Per site admin, on retrying emails from the outbox: each retry mails someone.
    RATE_LIMIT_ADMIN_MAIL = os.environ.get("RATE_LIMIT_ADMIN_MAIL", "60 per hour;300 per day")
    # Per user: asking for a download of one's data (each builds a zip and mails when
    # ready), and tries at deleting one's account (each checks the password).
    RATE_LIMIT_DATA_EXPORT = os.environ.get("RATE_LIMIT_DATA_EXPORT", "5 per hour;10 per day")
    RATE_LIMIT_ACCOUNT_DELETE = os.environ.get("RATE_LIMIT_ACCOUNT_DELETE", "10 per hour")
    # Server-side life of a login (docs/configuration.md, "Sessions"): idle, and absolute
    # since login.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(14 * 24 * 60)))
    SESSION_ABSOLUTE_MINUTES = int(os.environ.get("SESSION_ABSOLUTE_MINUTES", str(30 * 24 * 60)))

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # The languages Hearth speaks (a catalogue each in translations/, docs/translating.md),
    # and the one a visitor gets when neither a setting, the footer's choice nor the
    # browser names one of them.
    LANGUAGES = ("en", "es")
    DEFAULT_LANGUAGE = os.environ.get("DEFAULT_LANGUAGE", "en").strip().lower()
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")


class DevelopmentConfig(Config):
    """The embedded default: runs with nothing configured (SECRET_KEY kept in instance/)."""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  # nosec B105
    # Fast hashes for tests; a method's name, not a password.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105
    RATELIMIT_KEY_PREFIX = f"hearth-test-{secrets.token_hex(4)}"
    # A limiter that loses its storage quietly counts in memory and may let requests
    # through that a test expects refused; in tests a storage error must be a loud 500.
    # tests/web/test_rate_limit_storage.py checks production's quiet fallback.
    RATELIMIT_SWALLOW_ERRORS = False
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False
    # The digest's tests turn it on and give the sweep their own clock.
    DIGESTS = False


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


# What stops a production app from starting; `flask check-deploy`
# (webapp/operations/deploy_checks.py) reports the same beside its other checks.
WEAK_SECRET_KEYS = {"", "dev", "change-me", "changeme", "secret", "development"}


def secret_key_problem(key):
    """Why key is unfit for production, or None."""
    key = key or ""
    # Few distinct characters ("secret" * 6, "x" * 40) means typed, not generated.
    if key.strip().lower() in WEAK_SECRET_KEYS or len(key) < 32 or len(set(key)) < 12:
        return (
            "SECRET_KEY is missing or too weak. Production needs a random value of at least "
            "32 characters, for example: python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    return None


def redis_problem(config):
    if not config.get("REDIS_URL"):
        return (
            "REDIS_URL is missing. Production needs Redis for the mail queue and for rate "
            "limits shared between processes, for example: REDIS_URL=redis://localhost:6379/0"
        )
    return None


def refusals(config):
    """What stops a production app from starting: {check: message}, empty when nothing."""
    found = {
        "secret key": secret_key_problem(config.get("SECRET_KEY")),
        "redis": redis_problem(config),
    }
    return {check: message for check, message in found.items() if message}


def checking_deploy():
    """This process runs `flask check-deploy`, which reports refusals instead of stopping."""
    return "check-deploy" in sys.argv[1:]


def check_production_settings(config):
    """Refuse to run in production with settings that would be unsafe; `flask
    check-deploy` is let through to report them (webapp/operations/deploy_checks.py)."""
    problems = refusals(config)
    if not problems:
        return
    if not checking_deploy():
        raise RuntimeError(" ".join(problems.values()))
    config["REFUSED_SETTINGS"] = problems
    if "secret key" in problems:
        # A stand-in for the checking process alone, which serves nothing: no key file is
        # written in instance/ on behalf of a production setup.
        config["SECRET_KEY"] = secrets.token_hex(32)


def finalize(config, instance_path):
    """Every setting derived from others, computed once from the final configuration."""
    instance = Path(instance_path)
    if config["DEFAULT_LANGUAGE"] not in config["LANGUAGES"]:
        raise RuntimeError(
            f"DEFAULT_LANGUAGE must be one of {', '.join(config['LANGUAGES'])}, "
            f"not {config['DEFAULT_LANGUAGE']!r}"
        )
    config["BABEL_DEFAULT_LOCALE"] = config["DEFAULT_LANGUAGE"]
    if config["HEARTH_ENV"] == "production":
        check_production_settings(config)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = persistent_secret_key(instance / "secret_key")
    if config["JOBS_ASYNC"] is None:
        # Without Redis, jobs run inside the web process the moment they are queued.
        config["JOBS_ASYNC"] = config["REDIS_URL"] is not None
    if config["RATELIMIT_STORAGE_URI"] is None:
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "memory://"
    if not re.fullmatch(r"[\w*'.:/ -]+", config["EMBED_FRAME_ANCESTORS"]):
        # It goes into a header as it is: no list separator, no second directive.
        raise RuntimeError(
            "EMBED_FRAME_ANCESTORS must be sources of a frame-ancestors directive, such as"
            f" * or https://example.org, not {config['EMBED_FRAME_ANCESTORS']!r}"
        )
    if config["BASE_URL"]:
        config["BASE_URL"] = config["BASE_URL"].rstrip("/")
    elif config["HEARTH_ENV"] != "development":
        config["BASE_URL"] = "http://localhost:5000"
    config["SQLALCHEMY_DATABASE_URI"] = config["SQLALCHEMY_DATABASE_URI"] or (
        "sqlite:///" + str(instance / "hearth.db")
    )
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg"):
        # psycopg prepares a statement after its fifth run, and PostgreSQL may then settle on
        # one generic plan for every group, which for the organisers of a very big group
        # ran far slower than a plan made for it. Plan each execution instead.
        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    config["MAIL_OUTBOX_DIR"] = config["MAIL_OUTBOX_DIR"] or str(instance / "outbox")
    config["UPLOAD_DIR"] = config["UPLOAD_DIR"] or str(instance / "uploads")
    config["TEMPLATE_CACHE_DIR"] = config["TEMPLATE_CACHE_DIR"] or str(
        instance / "compiled-templates"
    )
    # Flask's own default is None (unlimited): an explicit limit wins, else MAX_REQUEST_KB.
    # Views marked with webapp.web.hooks.takes_uploads raise it to MAX_UPLOAD_MB for themselves.
    if config.get("MAX_CONTENT_LENGTH") is None:
        config["MAX_CONTENT_LENGTH"] = config["MAX_REQUEST_KB"] * 1024


def persistent_secret_key(path):
    """A random key made on the first start and kept, so a restart keeps links and logins."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        # Created readable by its owner only; O_EXCL: of two first starts, one key wins.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(key + "\n")
    return key
