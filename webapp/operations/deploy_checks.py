"""`flask check-deploy`: is this configuration fit to serve the public?

Each check gives a Finding. The settings are read as production would read them; the
proxy check compares TRUSTED_PROXY_HOPS with the forwarding headers the web processes
have actually seen (they note them in Redis, once per kind of request per hour).

Two of the failures (a weak SECRET_KEY, no REDIS_URL) also stop a production app from
starting at all; while this command runs, the app starts anyway so that it can say so
beside the others.
"""

import time
from dataclasses import dataclass

from flask import Flask, current_app, request

from webapp.config import redis_problem, secret_key_problem

# Where web processes note the forwarding headers they see: {hops: unix time last seen}.
SEEN_KEY = "hearth:proxy_hops_seen"
# A note older than this no longer describes how requests arrive.
SEEN_FOR_SECONDS = 24 * 3600
_NOTE_EVERY_SECONDS = 3600
# Probes come straight from a load balancer or a monitor, never through the proxy.
_UNPROXIED_PATHS = ("/healthz", "/readyz", "/metrics")
_noted_at = {}


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str


def settings_findings(config):
    """The checks that read settings alone."""
    return [
        _environment_finding(config),
        _debug_finding(config),
        *_refused_findings(config),
        _cookies_finding(config),
        _database_finding(config),
        _upload_limit_finding(config),
    ]


def _environment_finding(config):
    production = config["HEARTH_ENV"] == "production"
    return Finding(
        "environment",
        production,
        "HEARTH_ENV is production"
        if production
        else f"HEARTH_ENV is {config['HEARTH_ENV']!r}: set HEARTH_ENV=production",
    )


def _debug_finding(config):
    off = not (config.get("DEBUG") or config.get("TESTING"))
    return Finding(
        "debug",
        off,
        "debug and testing are off"
        if off
        else "debug or testing is on: it shows tracebacks and runs code from the browser;"
        " unset FLASK_DEBUG",
    )


def _refused_findings(config):
    """The secret key and Redis, which production also refuses to start without."""
    # What production refused (and this command let through) was judged before any
    # stand-in was filled in (webapp.config.check_production_settings).
    refused = config.get("REFUSED_SETTINGS", {})
    key_problem = refused.get("secret key") or secret_key_problem(config.get("SECRET_KEY"))
    redis = refused.get("redis") or redis_problem(config)
    return [
        Finding("secret key", key_problem is None, key_problem or "SECRET_KEY is strong"),
        Finding("redis", redis is None, redis or "REDIS_URL is set"),
    ]


def _cookies_finding(config):
    secure = config.get("SESSION_COOKIE_SECURE") and config.get("REMEMBER_COOKIE_SECURE")
    return Finding(
        "cookies",
        bool(secure),
        "session cookies are Secure"
        if secure
        else "session cookies are not Secure: they would travel over plain HTTP",
    )


def _database_finding(config):
    sqlite = config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    return Finding(
        "database",
        not sqlite,
        "DATABASE_URL is a server database"
        if not sqlite
        else "the database is SQLite: set DATABASE_URL to PostgreSQL (one file cannot take "
        "several web processes writing at once)",
    )


def _upload_limit_finding(config):
    # Werkzeug reads a limit of 0 (or none) as no limit at all.
    limit = config.get("MAX_CONTENT_LENGTH")
    upload_mb = config.get("MAX_UPLOAD_MB") or 0
    limited = bool(limit) and upload_mb > 0
    return Finding(
        "upload limit",
        limited,
        f"requests are limited to {limit // 1024} KB, uploads to {upload_mb} MB"
        if limited
        else "requests or uploads have no size limit: set MAX_REQUEST_KB and MAX_UPLOAD_MB",
    )


def note_forwarding_headers():
    """Note in Redis how many forwarded addresses this request came with (hourly per kind)."""
    if request.path.startswith(_UNPROXIED_PATHS):
        return
    # ProxyFix reads this header and leaves it as it came.
    forwarded = request.environ.get("HTTP_X_FORWARDED_FOR", "")
    hops = min(len([a for a in forwarded.split(",") if a.strip()]), 9)
    now = time.time()
    if now - _noted_at.get(hops, 0) < _NOTE_EVERY_SECONDS:
        return
    _noted_at[hops] = now
    from webapp.database.redis_client import get_redis

    try:
        get_redis().hset(SEEN_KEY, str(hops), int(now))
    except Exception:  # noqa: BLE001  (a note for an operator's check must not fail a page)
        _noted_at.pop(hops, None)


def hops_seen(redis, now=None):
    """{hops: last seen} noted by the web processes within SEEN_FOR_SECONDS."""
    now = now or time.time()
    seen = {int(hops): int(at) for hops, at in redis.hgetall(SEEN_KEY).items()}
    return {hops: at for hops, at in seen.items() if now - at <= SEEN_FOR_SECONDS}


def proxy_finding(configured, seen):
    """TRUSTED_PROXY_HOPS against the forwarded addresses requests came with."""
    if not seen:
        return Finding(
            "proxy",
            True,
            "no request seen in the last day: serve a few pages and run this again to "
            f"compare TRUSTED_PROXY_HOPS={configured} with what arrives",
        )
    fewest, most = min(seen), max(seen)
    if configured == 0 and fewest > 0:
        return Finding(
            "proxy",
            False,
            f"requests come through a proxy (X-Forwarded-For with {fewest} address(es)) but "
            "TRUSTED_PROXY_HOPS is 0: every visitor looks like the proxy, and rate limits "
            f"lump them together. Set TRUSTED_PROXY_HOPS={fewest}",
        )
    if fewest < configured:
        return Finding(
            "proxy",
            False,
            f"TRUSTED_PROXY_HOPS is {configured} but some requests came with {fewest} "
            "forwarded address(es): they reach the app past the proxy, or a proxy hop is "
            f"counted that is not there. Set TRUSTED_PROXY_HOPS={fewest} or close the way round",
        )
    return Finding(
        "proxy",
        True,
        f"TRUSTED_PROXY_HOPS={configured} matches the requests seen "
        f"({fewest}-{most} forwarded address(es))",
    )


def register_proxy_watch(app: Flask):
    if app.config["REDIS_URL"]:
        # Only a shared Redis lets the command see what every web process saw.
        app.before_request(note_forwarding_headers)


def run_checks():
    """Every finding for the current app (call in an app context)."""
    from webapp.database.redis_client import get_redis

    config = current_app.config
    findings = settings_findings(config)
    if config["REDIS_URL"]:
        try:
            seen = hops_seen(get_redis())
        except Exception as error:  # noqa: BLE001
            findings.append(Finding("proxy", False, f"Redis did not answer: {error}"))
        else:
            findings.append(proxy_finding(config["TRUSTED_PROXY_HOPS"], seen))
    return findings
