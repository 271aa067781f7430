"""How Flask-Login finds the user of a request: through a live session row."""

from datetime import timedelta

import sqlalchemy as sa
from flask import flash, request, url_for

from webapp.accounts.models import User, UserSession, hash_token
from webapp.extensions import db, login_manager
from webapp.htmx import redirect_to
from webapp.timeutil import utcnow

LAST_SEEN_RESOLUTION = timedelta(minutes=5)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to see that page."
login_manager.login_message_category = "info"
# Flask-Login's "strong" protection would log out people whose IP changes on a phone;
# the server-side session row already makes a stolen cookie revocable.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token):
    row = db.session.execute(
        sa.select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == hash_token(session_token), User.active.is_(True))
    ).first()
    if row is None:
        return None
    user, session_row = row
    user.current_session_token = session_token
    now = utcnow()
    if now - session_row.last_seen_at > LAST_SEEN_RESOLUTION:
        # In a transaction of its own: the view's unit of work is not ours to commit.
        with db.engine.begin() as connection:
            connection.execute(
                sa.update(UserSession)
                .where(UserSession.id == session_row.id)
                .values(last_seen_at=now)
            )
    return user


@login_manager.unauthorized_handler
def ask_to_log_in():
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect_to(url_for("auth.login", next=request.full_path.rstrip("?")))
