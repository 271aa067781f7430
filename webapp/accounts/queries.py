"""Reads about accounts that other features need."""

import sqlalchemy as sa

from webapp.accounts.models import User, normalize_email
from webapp.extensions import db


def find_user_by_email(email):
    return db.session.scalar(sa.select(User).where(User.email_normalized == normalize_email(email)))
