"""Logged-in sessions as rows: opening one, and ending one or all the others of a user."""

import sqlalchemy as sa

from webapp.accounts.models import UserSession, hash_token
from webapp.extensions import db


def open_session(user, user_agent=""):
    """Record a new login for user and return the token that names it in the cookie."""
    session_row, token = UserSession.open_for(user, user_agent)
    db.session.add(session_row)
    db.session.flush()
    user.current_session_token = token
    return token


def close_session(token):
    if token:
        db.session.execute(
            sa.delete(UserSession).where(UserSession.token_hash == hash_token(token))
        )


def close_other_sessions(user, keep_token=None):
    query = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != hash_token(keep_token))
    db.session.execute(query)
