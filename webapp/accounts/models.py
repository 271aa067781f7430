"""People and their logged-in sessions."""

import hashlib
import secrets

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.database.times import UTCDateTime, utcnow
from webapp.extensions import db
from webapp.web.addresses import canonical_email

APPEARANCES = ("system", "light", "dark")


# The password hash of a row no password opens (a guest's): no check matches it.
UNUSABLE_HASH = ""


def normalize_email(email):
    """The address as stored in email_normalized and looked up by (see webapp.web.addresses)."""
    return canonical_email(email)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def full_name(first_name, last_name):
    """A person's name as pages show it (User.name), from the columns read on their own."""
    return f"{first_name} {last_name}".strip()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320))
    # email-validator lower-cases only the domain; uniqueness needs the whole address folded.
    email_normalized: Mapped[str] = mapped_column(sa.String(320), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    # Read only where a password is checked or set: not with every logged-in request's
    # user, nor with every list of people.
    password_hash: Mapped[str] = mapped_column(sa.String(255), deferred=True)
    email_verified_at = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    is_site_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="UTC", server_default="UTC")
    appearance: Mapped[str] = mapped_column(
        sa.String(10), default="system", server_default="system"
    )
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # A code of LANGUAGES; None: the browser's language, and the site's for email.
    language: Mapped[str | None] = mapped_column(sa.String(16), nullable=True)
    # Someone who answered an event without an account (webapp.events.guest_answers): a
    # name and an address, no password, no login; signing up with the address makes the
    # row, and its answers, a member's own.
    is_guest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.Index(
            "ix_users_guests",
            "created_at",
            postgresql_where=sa.text("is_guest"),
            sqlite_where=sa.text("is_guest"),
        ),
    )

    # The raw token of the session this request runs under; never stored.
    current_session_token = None

    @property
    def name(self):
        return full_name(self.first_name, self.last_name)

    @property
    def is_verified(self):
        return self.email_verified_at is not None

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        # Flask-Login keeps this in the cookie: a session token, so that deleting the
        # session row ends that login even for a replayed copy of the cookie.
        return self.current_session_token

    def __repr__(self):
        return f"<User {self.id} {self.email_normalized}>"


class UserSession(db.Model):
    """One login on one device. Deleting the row logs that device out."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="sessions")

    @classmethod
    def open_for(cls, user, user_agent=""):
        token = secrets.token_urlsafe(32)
        session_row = cls(user=user, token_hash=hash_token(token), user_agent=user_agent[:255])
        return session_row, token


# Those of accounts; a guest's answer waiting for its confirmation is "guest_answer:<event
# id>" (webapp.events.guest_answers), so that one event's link confirms nothing at another.
PURPOSES = ("verify_email", "reset_password", "change_email")


class EmailToken(db.Model):
    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # For an email change: the new address, which is proven by the click.
    new_email: Mapped[str | None] = mapped_column(sa.String(320), nullable=True)
    # What following the link does, when the purpose needs more than the person: a guest's
    # answer waiting for confirmation, a sign-up that takes over a guest's row.
    details: Mapped[dict | None] = mapped_column(sa.JSON, nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()
