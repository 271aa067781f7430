"""Logins end on the server: after SESSION_IDLE_MINUTES without a request, and
SESSION_ABSOLUTE_MINUTES after logging in, remember-me or not. Time moves by editing the
session rows, as waiting would."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import Auth
from tests.support.auth import is_logged_in
from tests.support.members import new_member
from webapp.accounts.models import UserSession
from webapp.database.times import utcnow
from webapp.extensions import db

EMAIL = "ada@example.org"


@pytest.fixture
def ada(app):
    return new_member(app, email=EMAIL)


def age_sessions(app, idle=timedelta(0), since_login=timedelta(0)):
    """Make every login look idle for `idle` and as old as `since_login`."""
    now = utcnow()
    with app.app_context():
        db.session.execute(
            sa.update(UserSession).values(last_seen_at=now - idle, created_at=now - since_login)
        )
        db.session.commit()


def session_rows(app):
    with app.app_context():
        return db.session.scalars(sa.select(UserSession)).all()


def only_remember_cookie(app, client):
    """The browser was closed: the session cookie is gone, the remember-me cookie stays."""
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is not None


def test_the_defaults_are_two_weeks_idle_and_thirty_days_in_all(app):
    assert app.config["SESSION_IDLE_MINUTES"] == 14 * 24 * 60
    assert app.config["SESSION_ABSOLUTE_MINUTES"] == 30 * 24 * 60
    # Remember-me cannot outlive the absolute limit, nor the other way round.
    assert app.config["REMEMBER_COOKIE_DURATION"] == app.config["SESSION_ABSOLUTE_MINUTES"] * 60


@pytest.mark.parametrize("remember", [False, True], ids=["session", "remember-me"])
def test_an_idle_login_ends_and_its_row_is_deleted(app, client, ada, remember):
    Auth(client).login(EMAIL, remember=remember)
    if remember:
        only_remember_cookie(app, client)
    age_sessions(app, idle=timedelta(days=14, minutes=1), since_login=timedelta(days=15))

    assert not is_logged_in(client)
    assert session_rows(app) == []


@pytest.mark.parametrize("remember", [False, True], ids=["session", "remember-me"])
def test_a_login_in_use_ends_at_the_absolute_limit(app, client, ada, remember):
    Auth(client).login(EMAIL, remember=remember)
    if remember:
        only_remember_cookie(app, client)
    age_sessions(app, idle=timedelta(minutes=1), since_login=timedelta(days=30, minutes=1))

    assert not is_logged_in(client)
    assert session_rows(app) == []


def test_a_login_in_use_within_both_limits_lives_on_and_is_seen(app, client, ada):
    Auth(client).login(EMAIL, remember=True)
    only_remember_cookie(app, client)
    age_sessions(app, idle=timedelta(days=13), since_login=timedelta(days=29))

    assert is_logged_in(client)
    [row] = session_rows(app)
    # The request counts as activity: the idle clock starts again.
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_the_limits_come_from_the_settings(app, client, ada, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 60)
    Auth(client).login(EMAIL)
    age_sessions(app, idle=timedelta(minutes=59))
    assert is_logged_in(client)

    age_sessions(app, idle=timedelta(minutes=61))
    assert not is_logged_in(client)


def test_an_expired_login_on_one_device_leaves_the_others(app, ada):
    old_device, new_device = app.test_client(), app.test_client()
    Auth(old_device).login(EMAIL)
    age_sessions(app, idle=timedelta(days=20), since_login=timedelta(days=20))
    Auth(new_device).login(EMAIL)

    assert not is_logged_in(old_device)
    assert is_logged_in(new_device)
    assert len(session_rows(app)) == 1


def test_after_expiry_the_page_asks_to_log_in_again(app, client, ada):
    Auth(client).login(EMAIL)
    age_sessions(app, since_login=timedelta(days=31))

    response = client.get("/settings")

    assert response.status_code == 303
    assert response.location.startswith("/login")
    assert Auth(client).login(EMAIL).status_code == 303
    assert is_logged_in(client)
