"""The versions of the public feeds: the site's, and each group's, moved on by every
change a feed may show, in the transaction of the change.

A version is a moment in microseconds that only grows (a change in the same microsecond
adds one). It is written as the transaction commits, and its row stays locked until the
commit: two transactions that move the same version take turns, so a version a reader
sees was written after every change before it had committed, and a copy kept for it
holds them all.

Changes are found as the ORM flushes them (a group's name, address or visibility, its
life, an event's words, times, place or status, a public announcement as it goes),
whatever code wrote them; a plain UPDATE of what a feed shows must call `feeds_changed`
itself.
"""

import itertools
import time

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from webapp.announcements.models import Announcement
from webapp.database.inserts import dialect_insert
from webapp.events.models import Event
from webapp.events.series.models import EventSeries
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.open_web.models import SITE, FeedVersion

_PENDING = "hearth_feed_groups"
_COMMITTING = "hearth_feeds_committing"
# What a feed shows, or what decides whether it shows a row. Anything else (an RSVP's
# counters, a member count) leaves the feeds and their versions alone.
SHOWN = {
    Group: ("name", "slug", "summary", "visibility", "deleted_at", "suspended_at"),
    Event: (
        "group_id",
        "title",
        "slug",
        "description",
        "description_html",
        "venue",
        "address",
        "online_url",
        "starts_at",
        "ends_at",
        "time_zone",
        "status",
        "updated_at",
        "published_at",
        "deleted_at",
        "series_folded",
    ),
    # Folding a series' dates (webapp.events.series.folding) writes their series_folded by
    # a plain UPDATE, and with the ORM the moment of the next refold: that moment moves
    # whenever the date the lists show does. The rest is what a series' card shows.
    EventSeries: (
        "refold_at",
        "title",
        "rule",
        "first_date",
        "starts_time",
        "time_zone",
        "venue",
        "address",
        "online_url",
        "published_at",
    ),
    # A public one (public_announcements.py), as it goes; a private one, never.
    Announcement: ("public", "state", "subject", "body_html", "sent_at"),
}


def feeds_changed(session, group_ids):
    """The feeds of these groups (ids), and so the site's, change in session's transaction."""
    if session.info.get(_COMMITTING):
        # Written as the commit flushes, after the versions were: write these now.
        _write(session, group_ids)
    else:
        session.info.setdefault(_PENDING, set()).update(group_ids)


def _group_of(thing):
    return thing.id if type(thing) is Group else thing.group_id


def _may_be_shown(thing):
    """Whether a feed may show thing, or did before this change: an announcement only
    while it is public (or as it stops being so)."""
    if type(thing) is not Announcement:
        return True
    return thing.public or True in inspect(thing).attrs.public.history.deleted


def _shows_change(thing, fields):
    state = inspect(thing)
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context):
    # After the flush, so a new group has its id; the history is still there to read.
    changed = {
        _group_of(thing)
        for thing in itertools.chain(session.new, session.deleted)
        if type(thing) in SHOWN and _may_be_shown(thing)
    }
    changed.update(
        _group_of(thing)
        for thing in session.dirty
        if type(thing) in SHOWN
        and _may_be_shown(thing)
        and _shows_change(thing, SHOWN[type(thing)])
    )
    changed.discard(None)
    if changed:
        feeds_changed(session, changed)


@event.listens_for(Session, "before_commit")
def _move_versions_on(session):
    session.flush()
    session.info[_COMMITTING] = True
    if pending := session.info.pop(_PENDING, None):
        _write(session, pending)


def _write(session, group_ids):
    now = time.time_ns() // 1000
    # In the order of the key, the site's first: transactions that move the same versions
    # take their rows in one order, and cannot deadlock.
    rows = [{"scope": scope, "version": now} for scope in sorted({SITE, *group_ids})]
    statement = dialect_insert(FeedVersion).values(rows)
    current, offered = FeedVersion.version, statement.excluded.version
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[FeedVersion.scope],
            set_={"version": sa.case((current >= offered, current + 1), else_=offered)},
        )
    )


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_PENDING, None)
    session.info.pop(_COMMITTING, None)


def site_version():
    """The version of the site's feeds: one row read by its key."""
    return db.session.scalar(sa.select(FeedVersion.version).where(FeedVersion.scope == SITE)) or 0


def group_and_version(slug):
    """(group, the version of its feeds) at slug, or (None, 0): one statement."""
    row = db.session.execute(
        sa.select(Group, FeedVersion.version)
        .outerjoin(FeedVersion, FeedVersion.scope == Group.id)
        .where(Group.slug == slug)
    ).first()
    return (row[0], row[1] or 0) if row else (None, 0)
