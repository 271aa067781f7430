"""Behaviour of every request and response: input the database cannot hold is refused
first, then security headers and one log line per request."""

import json
import logging
import time

from flask import Flask, abort, g, request, session

from webapp.database.setup import SAFE_METHODS
from webapp.web.converters import register_converters
from webapp.web.languages import LANGUAGE_COOKIE
from webapp.web.request_ids import current_request_id

request_log = logging.getLogger("hearth.request")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def fixed_headers(config):
    """The headers of every answer from the app (static files have their own)."""
    headers = dict(SECURITY_HEADERS)
    if config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    # Pages can be personal; keep them out of shared caches and the back-forward cache of
    # a shared computer after logout.
    headers["Cache-Control"] = "no-store"
    return headers


def cacheable_for_visitors(view):
    """Mark a public page (a group's, an event's) that a shared cache may keep when a visitor
    with no session asks for it: see shared_cache_may_keep."""
    view.cacheable_for_visitors = True
    return view


def shared_cache_may_keep(app, response):
    """The answer is a marked page as anyone without a session sees it: asked with no
    session or language cookie, the whole page (not an htmx fragment), and it started no
    session (a page with a form for visitors does, for its token)."""
    view = app.view_functions.get(request.endpoint)
    return (
        getattr(view, "cacheable_for_visitors", False)
        and request.method in SAFE_METHODS
        and response.status_code == 200
        and request.headers.get("HX-Request") != "true"
        and not {app.config["SESSION_COOKIE_NAME"], LANGUAGE_COOKIE} & set(request.cookies)
        and not session.modified
    )


def may_be_framed(response):
    """The view gave a policy of its own that lets some sites frame the page (an embedded
    list of events): X-Frame-Options, which can only deny or name our own site, would
    overrule it in browsers that read both."""
    policy = response.headers.get("Content-Security-Policy", "")
    return "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy


def loggable_path():
    """The path with any emailed token blanked: a log line must not be a working link."""
    token = (request.view_args or {}).get("token")
    return request.path.replace(token, "[token]") if token else request.path


def has_nul(text):
    return "\x00" in text


def request_has_nul():
    """A NUL byte anywhere a view reads text from: path, query, form and file names."""
    if has_nul(request.path):
        return True
    fields = [request.args]
    if request.method not in SAFE_METHODS:
        fields.append(request.form)
        fields.append({name: file.filename or "" for name, file in request.files.items()})
    return any(has_nul(name) or has_nul(value) for multi in fields for name, value in _items(multi))


def _items(mapping):
    return mapping.items(multi=True) if hasattr(mapping, "getlist") else mapping.items()


def takes_uploads(view):
    """Mark a view that accepts files: its requests may be MAX_UPLOAD_MB large, while every
    other request keeps MAX_CONTENT_LENGTH (MAX_REQUEST_KB)."""
    view.takes_uploads = True
    return view


def upload_limit_bytes(app):
    return app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def register_input_guards(app: Flask):
    """Refuse what the database would refuse, before any route, loader or view sees it.

    Call before the blueprints are registered: routes pick their converters when added.
    PostgreSQL refuses a NUL byte in text; left to it, every query that carries one is a
    500. The guard is an app-wide URL value preprocessor because those run before every
    blueprint's preprocessors (the loaders of manage pages) and every before_request.
    """
    register_converters(app)

    # Before anything reads the body (the NUL guard below reads the form): a view that
    # takes uploads gets its larger limit first.
    @app.url_value_preprocessor
    def raise_limit_for_uploads(endpoint, values):
        if getattr(app.view_functions.get(endpoint), "takes_uploads", False):
            request.max_content_length = upload_limit_bytes(app)

    @app.url_value_preprocessor
    def refuse_nul_bytes(endpoint, values):
        if request_has_nul():
            abort(400)


def register_response_hooks(app: Flask):
    """The timer, then the headers every answer carries, then its log line: Flask runs
    after_request functions last registered first, so the log line is written before
    the headers are added, as it always was."""
    _time_every_request(app)
    _add_fixed_headers(app)
    _log_every_request(app)


def _time_every_request(app: Flask):
    def start_timer(endpoint, values):
        g.request_started = time.perf_counter()

    # First in line: the input guards answer from URL value preprocessors, CSRF and rate
    # limits from before_request functions (all run after these), and those answers need
    # a duration in the log too.
    app.url_value_preprocessors.setdefault(None, []).insert(0, start_timer)


def _add_fixed_headers(app: Flask):
    # (lower-cased name, name, value): a view's own value of a header wins, and header
    # names are compared without case.
    headers = [(name.lower(), name, value) for name, value in fixed_headers(app.config).items()]
    # Flask answers for /static/ only what WhiteNoise did not find: cacheable 404s.
    static_headers = [header for header in headers if header[0] != "cache-control"]

    @app.after_request
    def add_security_headers(response):
        if shared_cache_may_keep(app, response):
            max_age = app.config["PUBLIC_PAGE_MAX_AGE"]
            response.headers["Cache-Control"] = f"public, max-age={max_age}"
            # A cache keeps the copy for those who send neither a cookie of ours nor
            # another language (nginx: proxy_no_cache $cookie_hearth_session, deployment.md).
            response.vary.update(("Cookie", "Accept-Language"))
        fixed = static_headers if request.path.startswith("/static/") else headers
        # One look at the headers the view set, rather than a search (and, for each one
        # missing, a KeyError) per header added.
        present = set(response.headers.keys(lower=True))
        if may_be_framed(response):
            present.add("x-frame-options")
        for lowered, name, value in fixed:
            if lowered not in present:
                response.headers.add(name, value)
        return response


def _log_every_request(app: Flask):
    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        request_log.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": loggable_path(),
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "htmx": request.headers.get("HX-Request") == "true",
                    "request_id": current_request_id(),
                }
            )
        )
        return response
