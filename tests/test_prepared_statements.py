"""Lookups by key run as prepared statements on PostgreSQL, and nothing else does: a list
planned once for every value would keep a plan that suits only some (config.py)."""

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from webapp.accounts.models import User
from webapp.auth.session_loader import _USER_OF_SESSION
from webapp.extensions import db

pytestmark = pytest.mark.postgres


def prepared_statements():
    return db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()


def test_a_marked_lookup_is_prepared_once_and_reused(app):
    with app.app_context():
        for _ in range(3):
            db.session.execute(_USER_OF_SESSION, {"token_hash": "no such session"}).all()
        sessions = [s for s in prepared_statements() if "user_sessions.token_hash = $1" in s]
        assert len(sessions) == 1
        db.session.rollback()


def test_a_statement_not_marked_is_planned_each_time(app):
    with app.app_context():
        email = make_user().email
        for _ in range(6):
            db.session.execute(sa.select(User.id).where(User.email_normalized == email)).all()
        assert not [s for s in prepared_statements() if "users.email_normalized = $1" in s]
        db.session.rollback()
