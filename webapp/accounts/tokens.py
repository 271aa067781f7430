"""Signed, single-use, expiring links; and the lasting one-click unsubscribe links.

The URL carries a signed random nonce; the database keeps only its hash. The signature
tells a tampered link from an unknown one, the row tells an expired one from a used one.
An unsubscribe link is only signed: it names a person and a kind of mail, and turning
that off twice does no harm, so it needs no row and can last.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from webapp.accounts.models import EmailToken, hash_token
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.outbox import mail
from webapp.web import public_url
from webapp.web.converters import MAX_ID
from webapp.web.languages import language_of


class TokenError(Exception):
    """Why a link cannot be used: tampered, unknown, expired or used."""

    def __init__(self, reason, token=None):
        super().__init__(reason)
        self.reason = reason
        self.token = token


def _serializer(purpose):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"hearth.{purpose}")


def issue_token(user, purpose, new_email=None, max_age=None, details=None):
    """Create a link token for user; earlier unused ones of the same purpose stop working.
    details: what the click does, kept with the row (a JSON object)."""
    now = utcnow()
    db.session.execute(
        sa.update(EmailToken)
        .where(
            EmailToken.user_id == user.id,
            EmailToken.purpose == purpose,
            EmailToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    nonce = secrets.token_urlsafe(24)
    max_age = max_age or current_app.config["TOKEN_MAX_AGE"]
    db.session.add(
        EmailToken(
            user_id=user.id,
            purpose=purpose,
            nonce_hash=hash_token(nonce),
            new_email=new_email,
            details=details,
            created_at=now,
            expires_at=now + timedelta(seconds=max_age),
        )
    )
    db.session.flush()
    return _serializer(purpose).dumps(nonce)


def void_links(user):
    """End every outstanding link of user: after a change of password or address, a link
    mailed before it (perhaps to an inbox someone else reads) must no longer work."""
    db.session.execute(
        sa.update(EmailToken)
        .where(EmailToken.user_id == user.id, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def send_link(user, purpose, endpoint, subject, new_email=None, details=None):
    """Email a fresh link for purpose to user (to new_email when that is what it proves).

    The body comes from templates/email/<purpose>.txt and .html.
    """
    token = issue_token(user, purpose, new_email=new_email, details=details)
    mail.send_template(
        new_email or user.email,
        subject,
        purpose,
        language=language_of(user),
        user=user,
        new_email=new_email,
        url=public_url.absolute_url(endpoint, token=token),
    )


def check_token(signed, purpose):
    """Return the token row if the link may be used now, else raise TokenError."""
    try:
        nonce = _serializer(purpose).loads(signed)
    except BadSignature:
        raise TokenError("tampered") from None
    token = db.session.scalar(
        sa.select(EmailToken).where(
            EmailToken.nonce_hash == hash_token(str(nonce)), EmailToken.purpose == purpose
        )
    )
    if token is None:
        raise TokenError("unknown")
    if token.used_at is not None:
        raise TokenError("used", token)
    if token.expires_at <= utcnow():
        raise TokenError("expired", token)
    return token


def redeem_token(signed, purpose):
    """Use up a link. Of two clicks racing, exactly one wins; the other sees 'used'."""
    token = check_token(signed, purpose)
    claimed = db.session.execute(
        sa.update(EmailToken)
        .where(EmailToken.id == token.id, EmailToken.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise TokenError("used", token)
    return token


# The kind of mail a one-click unsubscribe turns off when it is the profile's switch,
# users.email_notifications ("Email me about my groups and events"), and not one kind.
ALL_NOTIFICATIONS = "all"


def unsubscribe_token(user_id, kind):
    """A lasting token that turns kind of mail off for user_id and nobody else: signed,
    so no one can make one for another person or kind; nothing is stored and it does not
    expire, so the link in an old email still works."""
    return _serializer("unsubscribe").dumps([user_id, kind])


def read_unsubscribe_token(signed):
    """(user id, kind) that a token of ours names, or None for anything else."""
    try:
        payload = _serializer("unsubscribe").loads(signed)
    except BadSignature:
        return None
    match payload:
        case [int(user_id), str(kind)] if 1 <= user_id <= MAX_ID:
            return user_id, kind
    return None


def unsubscribe_url(user, kind):
    """The one-click address that turns kind of mail off for user (an https page when
    BASE_URL is https), for the List-Unsubscribe header and the footer of the email."""
    return public_url.absolute_url("accounts.unsubscribe", token=unsubscribe_token(user.id, kind))
