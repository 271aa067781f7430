"""Throwaway apps built like the session's `app` fixture, for what one test must change.

The session app has served requests, so it takes no new routes, and its database, Redis
and mail settings are fixed. These apps share its settings except the ones a test names.
"""

import contextlib

from webapp import create_app
from webapp.extensions import db
from webapp.operations.stack_baseline import ENGINE

SESSION_APP_SETTINGS = (
    "HEARTH_ENV",
    "SQLALCHEMY_DATABASE_URI",
    "REDIS_URL",
    "RATELIMIT_STORAGE_URI",
    "JOBS_ASYNC",
    "QUEUE_NAME",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_OUTBOX_DIR",
    "UPLOAD_DIR",
    "BASE_URL",
)

# The limiter as production runs it: storage errors swallowed, counts kept in memory
# meanwhile. (The test settings make storage errors loud.)
LIMITER_AS_IN_PRODUCTION = {
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
}


def settings_of(app, **changes):
    settings = {name: app.config[name] for name in SESSION_APP_SETTINGS}
    settings.update(changes)
    return settings


@contextlib.contextmanager
def app_like(app, **changes):
    """An app made by create_app with the session app's settings plus changes; closed after."""
    other = create_app(settings_of(app, **changes))
    other.test_client_class = app.test_client_class
    try:
        yield other
    finally:
        close(other)


def close(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # The bench's stack-only baseline, when mounted, has an engine of its own.
    if (stack := app.extensions.get("stack_app")) is not None:
        stack.extensions[ENGINE].dispose()
    redis = app.extensions.get("redis")
    if redis is not None:
        redis.close()
