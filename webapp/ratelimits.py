"""Rate limits for the doors attackers knock on, per client and per email address."""

from flask import current_app, request
from flask_limiter.util import get_remote_address

from webapp.accounts.models import normalize_email
from webapp.extensions import limiter


def _address_key():
    email = request.form.get("email", "")
    return "address:" + normalize_email(email) if email.strip() else get_remote_address()


def per_client(setting):
    """At most config[setting] POSTs from one client address."""
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


def per_address():
    """At most RATE_LIMIT_PER_ADDRESS POSTs naming one email address, from anywhere."""
    return limiter.limit(
        lambda: current_app.config["RATE_LIMIT_PER_ADDRESS"],
        key_func=_address_key,
        methods=["POST"],
    )
