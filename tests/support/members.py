"""Users for the settings tests, as plain values: ORM objects detach once their context ends."""

from typing import NamedTuple

from sqlalchemy.orm import undefer

from tests.accounts.factories import make_user
from webapp.accounts.models import User
from webapp.extensions import db


class Member(NamedTuple):
    id: int
    email: str


def new_member(app, email=None, **fields):
    """A committed, verified user."""
    with app.app_context():
        user = make_user(email=email, **fields)
        return Member(user.id, user.email)


def stored(app, user_id):
    """The user's row as it is in the database now (its password hash too)."""
    with app.app_context():
        return db.session.get(User, user_id, options=[undefer(User.password_hash)])
