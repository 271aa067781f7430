"""Rate limits: per client and per email address on the doors attackers knock on, and per
user on everything that mails other people or writes content.

Views are marked with @rate_limited beside their route; create_app gives each app a
limiter of its own and wraps the marked views with it. (Flask-Limiter keeps its storage
on the Limiter object, so one module-level limiter would be shared by every app in a
process, tests included.) With REDIS_URL set, every web process counts in one Redis.
"""

import functools

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

from webapp.web.addresses import canonical_email


def _address_key():
    # The canonical form, not the typed text: fullwidth letters or an ideographic full
    # stop name the same mailbox, which must draw on one budget.
    email = request.form.get("email", "")
    return "address:" + canonical_email(email) if email.strip() else get_remote_address()


def _user_key():
    # Views limited per user require a login; an anonymous post is counted per client.
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def rate_limited(setting, per_address=False, per_user=False, exempt_when=None):
    """Mark a view: POSTs limited to config[setting] per client, and optionally to
    RATE_LIMIT_PER_ADDRESS per email address named in the form, from any client.

    per_user: config[setting] counts per logged-in user instead, in one budget shared by
    every view marked with the same setting (inviting and resending an invitation draw
    on the same allowance). exempt_when: a callable; a request it approves is not counted.
    """

    def mark(view):
        view.rate_limits = (setting, per_address, per_user, exempt_when)
        return view

    return mark


def view_arg_is(name, value):
    """For exempt_when: true when the URL's variable name holds value."""
    return lambda: (request.view_args or {}).get(name) == value


def register_rate_limits(app):
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    if not (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        # Every limit here is a view's own, checked by its wrapper (below). The check
        # Flask-Limiter adds before every request looks for default limits, finds none,
        # and cost each page and each live poll its time all the same.
        app.before_request_funcs[None].remove(limiter._check_request_limit)
    app.extensions["hearth_limiter"] = limiter
    for endpoint, view in list(app.view_functions.items()):
        marks = getattr(view, "rate_limits", None)
        if marks is None:
            continue
        setting, per_address, per_user, exempt_when = marks
        if per_user:
            limited = limiter.shared_limit(
                _setting(setting),
                scope=setting,
                key_func=_user_key,
                methods=["POST"],
                exempt_when=exempt_when,
            )(view)
        else:
            limited = limiter.limit(_setting(setting), methods=["POST"], exempt_when=exempt_when)(
                view
            )
        if per_address:
            limited = limiter.limit(
                _setting("RATE_LIMIT_PER_ADDRESS"), key_func=_address_key, methods=["POST"]
            )(limited)
        app.view_functions[endpoint] = _posts_through(limited, view)


def _posts_through(limited, view):
    """POSTs go through the limiter; other methods straight to the view. (The limits are
    for POSTs alone, yet the limiter's wrapper cost every GET of a live panel its checks.)"""

    @functools.wraps(view)
    def dispatch(**view_args):
        if request.method == "POST":
            return limited(**view_args)
        return view(**view_args)

    return dispatch


def _setting(name):
    # Read at request time, so an operator's setting (or a test's) applies without reloads.
    return lambda: current_app.config[name]


def get_limiter():
    return current_app.extensions["hearth_limiter"]
