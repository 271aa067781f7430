"""How Flask-Login finds the user of a request: through a live session row."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, flash, g, request, session, url_for

from webapp.accounts.models import User, UserSession, hash_token
from webapp.database.setup import prepared
from webapp.database.times import utcnow
from webapp.extensions import db, login_manager
from webapp.web.htmx import redirect_to
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

LAST_SEEN_RESOLUTION = timedelta(minutes=5)
# The English text, as tests look for it; flashed through the catalogue (session_ended).
SESSION_ENDED = "You have been logged out: your session has ended. Log in again to go on."

login_manager.login_view = "auth.login"
# Flashed by ask_to_log_in, made into text in the request's language there.
login_manager.login_message = _l("Log in to see that page.")
login_manager.login_message_category = "info"
# Flask-Login's "strong" protection would log out people whose IP changes on a phone;
# the server-side session row already makes a stolen cookie revocable.
login_manager.session_protection = "basic"


# Every logged-in request runs it: built once, and kept prepared. It reads what a request
# needs: the user (no password hash, which is deferred) and the session's times.
_USER_OF_SESSION = prepared(
    sa.select(User, UserSession.id, UserSession.created_at, UserSession.last_seen_at)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.token_hash == sa.bindparam("token_hash"), User.active.is_(True))
)


@login_manager.user_loader
def load_user(session_token):
    row = db.session.execute(_USER_OF_SESSION, {"token_hash": hash_token(session_token)}).first()
    if row is None:
        forget_ended_login()
        return None
    user, session_row = row[0], row
    now = utcnow()
    if has_expired(session_row, now):
        # A cookie (remember-me included) is only as good as its row: a device unused for
        # too long, or a login too old, must log in again, even with a copied cookie.
        with db.engine.begin() as connection:
            connection.execute(sa.delete(UserSession).where(UserSession.id == session_row.id))
        forget_ended_login()
        return None
    user.current_session_token = session_token
    if now - session_row.last_seen_at > LAST_SEEN_RESOLUTION:
        # In a transaction of its own: the view's unit of work is not ours to commit.
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(UserSession)
                .where(UserSession.id == session_row.id)
                .values(last_seen_at=now)
            )
    return user


def forget_ended_login():
    """The cookie names a session that has ended (logged out on another device, expired,
    or the account deactivated by an admin): forget it, and say so once, so that the next
    click shows why the person is logged out instead of silently showing less."""
    if g.get("hearth_login_ended"):
        return
    g.hearth_login_ended = True
    for key in ("_user_id", "_fresh", "_id"):
        session.pop(key, None)
    # Flask-Login deletes the remember-me cookie at the end of this request.
    session["_remember"] = "clear"
    flash(session_ended(), "info")


def session_ended():
    return _("You have been logged out: your session has ended. Log in again to go on.")


def has_expired(session_row, now):
    """Idle past SESSION_IDLE_MINUTES, or logged in longer ago than SESSION_ABSOLUTE_MINUTES."""
    config = current_app.config
    # last_seen_at lags by up to LAST_SEEN_RESOLUTION; an idle limit that short is moot.
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(minutes=config["SESSION_ABSOLUTE_MINUTES"])
    return now - session_row.last_seen_at > idle or now - session_row.created_at > absolute


@login_manager.unauthorized_handler
def ask_to_log_in():
    # A plain string: the session stores flashes as JSON, which a lazy one is not.
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect_to(url_for("auth.login", next=request.full_path.rstrip("?")))
