"""Rate limits for the doors attackers knock on, per client and per email address.

Views are marked with @rate_limited beside their route; create_app gives each app a
limiter of its own and wraps the marked views with it. (Flask-Limiter keeps its storage
on the Limiter object, so one module-level limiter would be shared by every app in a
process, tests included.)
"""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from webapp.accounts.models import normalize_email


def _address_key():
    email = request.form.get("email", "")
    return "address:" + normalize_email(email) if email.strip() else get_remote_address()


def rate_limited(client_setting, per_address=False):
    """Mark a view: POSTs limited to config[client_setting] per client, and optionally to
    RATE_LIMIT_PER_ADDRESS per email address named in the form, from any client."""

    def mark(view):
        view.rate_limits = (client_setting, per_address)
        return view

    return mark


def register_rate_limits(app):
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions["hearth_limiter"] = limiter
    for endpoint, view in list(app.view_functions.items()):
        client_setting, per_address = getattr(view, "rate_limits", (None, False))
        if client_setting is None:
            continue
        limited = limiter.limit(_setting(client_setting), methods=["POST"])(view)
        if per_address:
            limited = limiter.limit(
                _setting("RATE_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"]
            )(limited)
        app.view_functions[endpoint] = limited


def _setting(name):
    # Read at request time, so an operator's setting (or a test's) applies without reloads.
    return lambda: current_app.config[name]


def get_limiter():
    return current_app.extensions["hearth_limiter"]
