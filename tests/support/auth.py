"""Helpers for the auth tests: form data, reading what a page says, and making links."""

import re
from datetime import timedelta
from html import unescape

import sqlalchemy as sa
from itsdangerous import URLSafeSerializer
from sqlalchemy.orm import undefer

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from webapp.accounts.models import EmailToken, User, normalize_email
from webapp.accounts.tokens import issue_token
from webapp.database.times import utcnow
from webapp.extensions import db

LINK_PATHS = {"verify_email": "/verify/", "reset_password": "/password/reset/"}
# Long, varied and unguessable: passes every rule, including the strength score.
LONG_PASSWORD = ("Aa1!" + "x7Kq#mZ2" * 16)[:128]


def signup_data(**overrides):
    """A valid signup form; a password override without a confirm is confirmed as typed."""
    data = {
        "email": "ann@example.org",
        "first_name": "Ann",
        "last_name": "Lee",
        "password": DEFAULT_PASSWORD,
        "confirm": DEFAULT_PASSWORD,
    }
    if "password" in overrides and "confirm" not in overrides:
        overrides["confirm"] = overrides["password"]
    data.update(overrides)
    return data


def create_user(app, email="member@example.org", **fields):
    """A committed user made straight in the database; returns its email address."""
    with app.app_context():
        return make_user(email=email, **fields).email


def find_user(app, email):
    """The stored user for an address (any case), loaded (its password hash too) and
    detached, or None."""
    with app.app_context():
        return db.session.scalar(
            sa.select(User)
            .options(undefer(User.password_hash))
            .where(User.email_normalized == normalize_email(email))
        )


def html(response):
    return response.get_data(as_text=True)


def field_error(response, field_id):
    """The message shown next to a field, or None when the field has none."""
    match = re.search(
        rf'<small id="{field_id}-error" class="field-error">(.*?)</small>', html(response), re.S
    )
    return unescape(match.group(1)).strip() if match else None


def input_tag(response, field_id):
    """The rendered <input> with this id."""
    tag = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', html(response))
    assert tag, f"no input with id {field_id}"
    return tag.group(0)


def form_errors(response):
    """Messages about the whole form (not one field)."""
    return [
        unescape(text).strip()
        for text in re.findall(r'<p class="form-error"[^>]*>(.*?)</p>', html(response), re.S)
    ]


def input_value(response, name):
    """The value an input (id and name alike) is rendered with, or None when it has none."""
    value = re.search(r'\bvalue="([^"]*)"', input_tag(response, name))
    return unescape(value.group(1)) if value else None


def link_problem_reason(response):
    """Why a link could not be used, as the link problem page states it."""
    match = re.search(r'id="link-problem" data-reason="([a-z]+)"', html(response))
    return match.group(1) if match else None


def is_logged_in(client):
    """The settings page opens only for a logged-in member."""
    return client.get("/settings").status_code == 200


def issue_link(app, email, purpose):
    """A fresh single-use link for user and purpose, as the emails carry it (a path)."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        token = issue_token(user, purpose)
        db.session.commit()
    return LINK_PATHS[purpose] + token


def unknown_link(app, purpose):
    """A correctly signed link whose nonce has no row, signed as webapp/accounts/tokens.py does."""
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt=f"hearth.{purpose}")
    return LINK_PATHS[purpose] + serializer.dumps("a-nonce-that-was-never-issued")


def tampered(link, position=3):
    """The link with one character of its signed token changed (by default in the payload;
    a negative position counts from the end, into the signature)."""
    prefix, token = link.rsplit("/", 1)
    return f"{prefix}/{tampered_token(token, position)}"


def tampered_token(token, position):
    """token with the character at position changed so that the bytes it encodes change.
    The last character of URL-safe base64 can carry bits that decoding drops (a 20-byte
    signature's last character encodes 4 bits in 6): changing only those leaves the same
    bytes, and the "tampered" token is still valid, so the last character is never chosen."""
    index = position % len(token)
    if index == len(token) - 1:
        raise ValueError("the last character of a base64 token can decode to the same bytes")
    replacement = "B" if token[index] != "B" else "C"
    return token[:index] + replacement + token[index + 1 :]


def expire_links(app, purpose):
    """Move every link of purpose past its expiry, as an hour of waiting would."""
    with app.app_context():
        db.session.execute(
            sa.update(EmailToken)
            .where(EmailToken.purpose == purpose)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def login_data(email, password=DEFAULT_PASSWORD, **extra):
    return {"email": email, "password": password, **extra}


def session_cookie(app, email):
    """The session cookie of a login as email, made through the login form as a person
    does (the login writes its session row), to give to other clients."""
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303, f"{email} not let in"
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def with_session(app, client, cookie):
    """client, logged in with a session cookie from session_cookie."""
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client
