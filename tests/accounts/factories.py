"""Objects for tests, made straight in the database."""

import itertools

from webapp.accounts.models import UNUSABLE_HASH, User, normalize_email
from webapp.accounts.passwords import hash_password
from webapp.database.times import utcnow
from webapp.extensions import db

DEFAULT_PASSWORD = "Hearth-Kettle-42!"
_sequence = itertools.count(1)


def make_user(email=None, password=DEFAULT_PASSWORD, verified=True, **fields):
    """A committed user; call inside an app context."""
    number = next(_sequence)
    email = email or f"person{number}@example.org"
    user = User(
        email=email,
        email_normalized=normalize_email(email),
        first_name=fields.pop("first_name", "Pat"),
        last_name=fields.pop("last_name", f"Person{number}"),
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    # Loaded now, so tests can read it after its app context is gone.
    db.session.refresh(user)
    return user


def make_guest(email, first_name="Gus", verified=False):
    """A committed guest (webapp.events.guest_answers): a name and an address, no password,
    no login; verified once they followed the link that confirmed an answer."""
    guest = User(
        email=email,
        email_normalized=normalize_email(email),
        first_name=first_name,
        last_name="",
        password_hash=UNUSABLE_HASH,
        email_verified_at=utcnow() if verified else None,
        is_guest=True,
    )
    db.session.add(guest)
    db.session.commit()
    db.session.refresh(guest)
    return guest
