"""Live parts of pages: fragments that poll for themselves with the version they show.

Web processes are sync workers, so a live part polls rather than holds a connection
(DESIGN.md, "Hypermedia rules"). Each part has a topic ("live:rsvp:event:42") whose
version Redis holds, moved on once the transaction that changed the part has committed:
every web process then sees it, and a poll can never see a version whose change was
rolled back. A poll that shows the current version costs one Redis read and
no SQL (`unchanged`); otherwise its view renders the fresh fragment, and answers 286
(htmx stops polling) when the part can never change again.

A page must read its part's version before the data the part shows: read after, a change
committed in between would be shown as seen while the page shows the state before it,
and the part would wait for the next change. A part whose version is a Redis counter
(the data export's) takes it with `version_to_show`, which hands on the one `unchanged`
read before the poll's view read anything.

A part may instead keep its version in the row it shows (an event's rsvp_version, a
poll's results_version), moved on by every change in the change's own transaction, under
the row's lock: a page then reads version and data in one statement, from one snapshot,
and asks Redis nothing. Once the change commits the version is published to the topic
(`publish_after_commit`), and only ever upwards, so that two changes whose publications
cross cannot leave the topic on the older one. A topic Redis has forgotten, or that
missed a publication while Redis was away, is published again by the first poll that
finds it missing or behind (`publish_if_behind`). The RSVP panel and the poll results
work so; the data export's part keeps a counter in Redis (`bump_after_commit`).

A topic may also carry `until`, a moment after which its part cannot change (an event
that ended, or at once for one cancelled): from then on polls stop taking the cheap
answer and go to their view, which decides on 286.

Without REDIS_URL, the in-process Redis of webapp.database.redis_client holds the versions, so
live parts work within one process, as everything else does in the embedded default.
"""

import logging
import time
from datetime import datetime

from flask import g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.database.redis_client import get_redis

log = logging.getLogger("hearth.live")

# The status that tells htmx to stop polling an element: the part can change no more.
STOP_POLLING = 286

_PENDING_BUMPS = "hearth_live_bumps"
_PENDING_RESETS = "hearth_live_resets"
_PENDING_PUBLISHED = "hearth_live_published"
# A topic nobody bumped or made (or gave its end) for this long is forgotten; its next
# poll re-renders. Reading it does not keep it: a read of one that exists is one HGET.
KEEP_SECONDS = 30 * 24 * 3600
VERSION, UNTIL = "v", "until"


def topic(*parts):
    """The Redis key of a live part: topic("rsvp", "event", 42) -> "live:rsvp:event:42"."""
    return "live:" + ":".join(str(part) for part in parts)


def first_version():
    """From the clock rather than 0: a topic that was forgotten (key expired, Redis
    emptied) starts again above any version a page still shows, never equal to one; and
    a row that keeps its version starts from it, above any version its id had before
    (SQLite hands a deleted row's id out again)."""
    return time.time_ns() // 1000


def _epoch(moment):
    return moment.timestamp() if isinstance(moment, datetime) else moment


def _write(pipe, key, until):
    pipe.hsetnx(key, VERSION, first_version())
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


def start_afresh_after_commit(key):
    """Forget key's topic once the current transaction commits: a new thing that may have
    the id of a deleted one (SQLite hands a table's highest id out again) must not start
    from the topic the deletion ended."""
    from webapp.extensions import db

    db.session.info.setdefault(_PENDING_RESETS, set()).add(key)


def publish_after_commit(key, version, until=None):
    """Once the current transaction commits, make version (the one the changed row keeps)
    key's version, unless the topic holds a later one already. until as for
    bump_after_commit."""
    from webapp.extensions import db

    db.session.info.setdefault(_PENDING_PUBLISHED, {})[key] = (version, until)


# Upwards only: a change published late must not put back the version before it.
_PUBLISH = """
local shown = redis.call('HGET', KEYS[1], 'v')
if not shown or tonumber(ARGV[1]) > tonumber(shown) then
  redis.call('HSET', KEYS[1], 'v', ARGV[1])
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'until', ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
"""


def _publish(client, key, version, until):
    until_text = "" if until is None else str(_epoch(until))
    client.eval(_PUBLISH, 1, key, str(version), until_text, KEEP_SECONDS)


def publish(key, version, until=None):
    """Publish a version read from its row now (a poll found the topic missing). Redis
    being away is logged, not raised: the part's polls then fetch it fresh."""
    try:
        _publish(get_redis(), key, version, until)
    except Exception:
        log.warning("could not publish live version %s", key, exc_info=True)


def publish_if_behind(key, version, until=None):
    """After unchanged() sent a poll on to its view: publish version (just read from its
    row) when the topic was missing (Redis forgot it) or behind it (a publication lost
    while Redis was away), so that the next poll is answered without a render."""
    read = g.get("live_versions", {}).get(key)
    if read is None or int(read[0]) < version:
        publish(key, version, until)


def forget_all_topics():
    """Forget every live topic (a database was seeded): each part's next poll renders it
    and publishes its version afresh. Redis being away is logged, not raised."""
    try:
        redis = get_redis()
        keys = []
        for key in redis.scan_iter(match=topic("*"), count=1000):
            keys.append(key)
            if len(keys) == 1000:
                redis.delete(*keys)
                keys.clear()
        if keys:
            redis.delete(*keys)
    except Exception:
        log.warning("could not forget the live topics", exc_info=True)


@event.listens_for(Session, "after_commit")
def _bump_pending(session):
    resets = session.info.pop(_PENDING_RESETS, ())
    pending = session.info.pop(_PENDING_BUMPS, None) or {}
    published = session.info.pop(_PENDING_PUBLISHED, None) or {}
    if not (resets or pending or published) or not has_app_context():
        return
    try:
        pipe = get_redis().pipeline()
        # Forgotten first: a topic started afresh and bumped in one transaction is new.
        for key in resets:
            pipe.delete(key)
        for key, until in pending.items():
            _write(pipe, key, until)
            pipe.hincrby(key, VERSION, 1)
        for key, (version, until) in published.items():
            _publish(pipe, key, version, until)
        pipe.execute()
    except Exception:
        # The change is committed: Redis being away must not turn it into a 500. Pages
        # still show it when loaded; open ones catch up at the next bump (or, for a
        # version kept in its row, at the first poll of a page loaded since).
        topics = [*resets, *pending, *published]
        log.warning("could not bump live versions %s", topics, exc_info=True)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_PENDING_BUMPS, None)
    session.info.pop(_PENDING_RESETS, None)
    session.info.pop(_PENDING_PUBLISHED, None)


def _text(version):
    return version.decode() if isinstance(version, bytes) else str(version)


def _read(key, until=None):
    """(version, whether this made the topic), creating it if needed; ("", False) when
    Redis cannot say: the part's polls then always fetch it fresh."""
    try:
        redis = get_redis()
        if until is None:
            # Nearly always the topic exists: one command, rather than a transaction
            # that also sets what is already set.
            version = redis.hget(key, VERSION)
            if version is not None:
                return _text(version), False
        pipe = redis.pipeline()
        _write(pipe, key, until)
        pipe.hget(key, VERSION)
        results = pipe.execute()
    except Exception:
        log.warning("could not read live version %s", key, exc_info=True)
        return "", False
    return _text(results[-1]), bool(results[0])


def _remember(key, version, made):
    if has_request_context():
        g.setdefault("live_versions", {})[key] = (version, made)


def was_live(key):
    """Whether this request's unchanged() found key's topic: its part was shown somewhere,
    even if what it showed is gone now (a deleted poll), rather than never there."""
    return has_request_context() and key in g.get("live_versions", {})


def version_to_show(key, until=None):
    """The version a part rendered now shows: the one unchanged() read before the view read
    its data, else read now (creating the topic if needed); "" when Redis cannot say."""
    early = g.get("live_versions", {}).pop(key, None) if has_request_context() else None
    if early is None:
        return _read(key, until)[0]
    version, made = early
    if made and until is not None:
        # The topic was made before the part knew when it stops changing: say so now.
        try:
            get_redis().hset(key, UNTIL, _epoch(until))
        except Exception:
            log.warning("could not mark live topic %s", key, exc_info=True)
    return version


def _shows_current(version, until, seen):
    return version == seen and (until is None or time.time() < float(until))


def is_current(redis, key, seen):
    """True when seen is the current version of key's topic and its time is not over.
    Raises what redis raises."""
    if not seen:
        return False
    version, until = redis.hmget(key, [VERSION, UNTIL])
    return version is not None and _shows_current(version.decode(), until, seen)


def polled_by(topic_of):
    """Mark a live part's poll view: topic_of(**view_args) is the topic whose version the
    poll's ?v= names, so that webapp.live.front can answer it in front of Flask when
    nothing changed. The view still checks (`unchanged`) what comes through to it."""

    def mark(view):
        view.live_topic_of = topic_of
        return view

    return mark


def unchanged(key, seen):
    """True when seen is the part's current version and its time is not over: the poll
    needs nothing. One Redis read; no SQL, no session, no user. (Most such polls never
    reach their view: webapp.live.front answers them first.)"""
    if not seen:
        return False
    try:
        version, until = get_redis().hmget(key, [VERSION, UNTIL])
    except Exception:
        log.warning("could not read live version %s", key, exc_info=True)
        return False
    if version is None:
        return False
    # Read before the view's data, should the view render the part: see the docstring.
    _remember(key, version.decode(), False)
    return _shows_current(version.decode(), until, seen)
