"""Live parts of pages: fragments that poll for themselves with the version they show.

Web processes are sync workers, so a live part polls rather than holds a connection
(DESIGN.md, "Hypermedia rules"). Each part has a topic ("live:rsvp:event:42") whose
version is a counter in Redis, bumped once the transaction that changed the part has
committed: every web process then sees it, and a poll can never see a version whose
change was rolled back. A poll that shows the current version costs one Redis read and
no SQL (`unchanged`); otherwise its view renders the fresh fragment, and answers 286
(htmx stops polling) when the part can never change again.

A topic may also carry `until`, a moment after which its part cannot change (an event
that ended, or at once for one cancelled): from then on polls stop taking the cheap
answer and go to their view, which decides on 286.

Without REDIS_URL, the in-process Redis of webapp.redis_client holds the versions, so
live parts work within one process, as everything else does in the embedded default.
"""

import logging
import time
from datetime import datetime

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.redis_client import get_redis

log = logging.getLogger("hearth.live")

_PENDING_BUMPS = "hearth_live_bumps"
# A topic nobody bumped or showed for this long is forgotten; its next poll re-renders.
KEEP_SECONDS = 30 * 24 * 3600
VERSION, UNTIL = "v", "until"


def topic(*parts):
    """The Redis key of a live part: topic("rsvp", "event", 42) -> "live:rsvp:event:42"."""
    return "live:" + ":".join(str(part) for part in parts)


def _first_version():
    # From the clock rather than 0: a topic that was forgotten (key expired, Redis
    # emptied) starts again above any version a page still shows, never equal to one.
    return time.time_ns() // 1000


def _epoch(moment):
    return moment.timestamp() if isinstance(moment, datetime) else moment


def _write(pipe, key, until):
    pipe.hsetnx(key, VERSION, _first_version())
    if until is not None:
        pipe.hset(key, UNTIL, _epoch(until))
    pipe.expire(key, KEEP_SECONDS)


def bump_after_commit(key, until=None):
    """Move key's version on once the current transaction commits (nothing if it rolls back).

    until: a datetime (or epoch seconds) after which the part cannot change; None keeps
    what the topic had."""
    from webapp.extensions import db

    pending = db.session.info.setdefault(_PENDING_BUMPS, {})
    if until is not None or key not in pending:
        pending[key] = until


@event.listens_for(Session, "after_commit")
def _bump_pending(session):
    pending = session.info.pop(_PENDING_BUMPS, None)
    if not pending or not has_app_context():
        return
    try:
        pipe = get_redis().pipeline()
        for key, until in pending.items():
            _write(pipe, key, until)
            pipe.hincrby(key, VERSION, 1)
        pipe.execute()
    except Exception:
        # The change is committed: Redis being away must not turn it into a 500. Pages
        # still show it when loaded; open ones catch up at the next bump.
        log.warning("could not bump live versions %s", list(pending), exc_info=True)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_PENDING_BUMPS, None)


def version_to_show(key, until=None):
    """The version a part rendered now shows (creating the topic if needed), or "" when
    Redis cannot say: the part's polls then always fetch it fresh."""
    try:
        pipe = get_redis().pipeline()
        _write(pipe, key, until)
        pipe.hget(key, VERSION)
        version = pipe.execute()[-1]
    except Exception:
        log.warning("could not read live version %s", key, exc_info=True)
        return ""
    return version.decode() if isinstance(version, bytes) else str(version)


def unchanged(key, seen):
    """True when seen is the part's current version and its time is not over: the poll
    needs nothing. One Redis read; no SQL, no session, no user."""
    if not seen:
        return False
    try:
        version, until = get_redis().hmget(key, [VERSION, UNTIL])
    except Exception:
        log.warning("could not read live version %s", key, exc_info=True)
        return False
    if version is None or version.decode() != seen:
        return False
    return until is None or time.time() < float(until)
