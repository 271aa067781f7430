"""Single-use links sent by email: verify an address, reset a password, change an email."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.timeutil import UTCDateTime, utcnow

PURPOSES = ("verify_email", "reset_password", "change_email")


class EmailToken(db.Model):
    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(32))
    nonce_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # For an email change: the new address, which is proven by the click.
    new_email: Mapped[str | None] = mapped_column(sa.String(320), nullable=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    used_at = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()
