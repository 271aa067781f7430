"""Error pages for every status we answer with, as full pages and as htmx fragments."""

import logging
import time

from flask import current_app, g, make_response, redirect, render_template, request, session
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.database.setup import SAFE_METHODS, is_dropped_connection, is_unreachable_database
from webapp.extensions import db
from webapp.web.htmx import wants_fragment
from webapp.web.languages import in_language, visitor_language
from webapp.web.ratelimits import get_limiter
from webapp.web.translating import lazy_gettext as _l

log = logging.getLogger("hearth.errors")

# Lazy: a page is rendered in its language after these are looked up (the 5xx pages in
# the visitor's, without the database).
MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (
        _l("Page not found"),
        _l("There is nothing at this address. Check the link or go home."),
    ),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
    422: (
        _l("Could not process"),
        _l("Some of what you sent could not be used. Check it and retry."),
    ),
    429: (_l("Slow down"), _l("Too many attempts in a short time.")),
    500: (_l("Something went wrong"), _l("An error happened on our side. It has been logged.")),
    503: (
        _l("Temporarily unavailable"),
        _l(
            "We cannot reach our database just now, so what you asked for cannot be done. "
            "If you were saving something, check afterwards that it was saved."
        ),
    ),
}
# Seconds a client is asked to wait while the database cannot be reached: long enough
# for a restart or a failover, short enough that a person retrying by hand is not sent
# away for long.
DATABASE_RETRY_AFTER = 30


def retry_after_seconds():
    current = get_limiter().current_limit
    if current is None:
        return None
    # reset_at is already rounded up to a whole second.
    return max(1, int(current.reset_at - time.time()))


def render_without_database(template, **context):
    """Render with none of the context processors: they read current_user from the database,
    which is what may have failed. The layout then shows the visitor's navigation, in the
    visitor's language (the member's setting would need their row)."""
    context.update(
        request=request,
        session=session,
        g=g,
        current_user=AnonymousUserMixin(),
        appearance="system",
    )
    with in_language(visitor_language()):
        return current_app.jinja_env.get_template(template).render(context)


def too_large_message():
    """The 413 message, with the limit of the address that refused (an upload's is larger)."""
    limit = request.max_content_length
    if not limit:
        return None
    megabytes = limit / (1024 * 1024)
    size = f"{megabytes:g} MB" if megabytes >= 1 else f"{limit / 1024:g} KB"
    # TRANSLATORS: size is a number with its unit, such as "10 MB" or "512 KB".
    return _l("What you sent is larger than this site accepts here: at most %(size)s.", size=size)


def render_error(code, message=None, retry_after=None):
    title, default_message = MESSAGES.get(
        code, (_l("Error %(code)s", code=code), _l("Something went wrong."))
    )
    context = {
        "code": code,
        "title": title,
        # Not `or`: testing a lazy message would translate it here, and a 5xx page is put
        # in its language only when it renders.
        "message": message if message is not None else default_message,
        "retry_after": retry_after,
    }
    # A server error may be the database itself: its page must not need it.
    render = render_without_database if code >= 500 else render_template
    if wants_fragment():
        response = make_response(render("errors/_error.html", **context), code)
        # Errors land in the page's error region, whatever element asked.
        response.headers["HX-Retarget"] = "#htmx-error"
        response.headers["HX-Reswap"] = "innerHTML"
    else:
        response = make_response(render("errors/error.html", **context), code)
    response.vary.add("HX-Request")
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l(
                "The form had expired or was missing its security token. "
                "Reload the page and try again."
            ),
        )

    @app.errorhandler(429)
    def too_many_requests(error):
        return render_error(429, retry_after=retry_after_seconds())

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 413:
            message = too_large_message()
        else:
            message = None if error.code in MESSAGES else error.description
        response = render_error(error.code, message)
        # Keep what the status needs beside the body, such as Allow on a 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        if is_dropped_connection(error) and request.method in SAFE_METHODS:
            # The pool has been replaced: asking again is safe for a read and succeeds.
            log.warning("database connection dropped; asking the client to retry")
            db.session.rollback()
            return redirect(request.full_path.rstrip("?"), 307)
        if is_unreachable_database(error):
            return database_unavailable(error)
        log.exception("unhandled error", exc_info=error)
        # First undo what failed: a session left mid-transaction would fail again below.
        try:
            db.session.rollback()
        except Exception:
            log.warning("rollback after an error failed too", exc_info=True)
        return render_error(InternalServerError.code)


def database_unavailable(error):
    """503 while the database cannot be reached: an outage to wait out, not a bug to fix."""
    # One line without a traceback: in an outage every request ends here.
    log.warning("database unreachable, answered 503: %s", str(error.orig).strip())
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing to undo on it
        log.debug("rollback without a database failed", exc_info=True)
    return render_error(503, retry_after=DATABASE_RETRY_AFTER)
