"""Reads for the admin's pages: counts, people, groups, the outbox (with its sends to many)
and the audit log."""

import functools
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from rq.registry import FailedJobRegistry
from sqlalchemy.orm import joinedload, load_only, selectinload

from webapp.accounts.models import User
from webapp.announcements.models import Announcement
from webapp.announcements.queries import GONE, delivery_counts
from webapp.audit.models import AuditEntry
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.groups.queries import group_matches, like_anywhere, member_matches
from webapp.jobs import get_queue
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.queries import count_by_state


def _count(model, *where):
    return sa.select(sa.func.count()).select_from(model).where(*where).scalar_subquery()


@functools.cache
def _counts_statement():
    return sa.select(
        _count(User).label("users"),
        _count(User, User.active.is_(False)).label("deactivated"),
        _count(Group, Group.deleted_at.is_(None)).label("groups"),
        _count(Group, Group.suspended_at.is_not(None), Group.deleted_at.is_(None)).label(
            "suspended"
        ),
        _count(Event, Event.deleted_at.is_(None)).label("events"),
        _count(Rsvp).label("rsvps"),
    )


def site_counts():
    """The dashboard's numbers: one query for the tables, one for the outbox, and the
    queue's lengths from Redis."""
    counts = dict(db.session.execute(_counts_statement()).one()._mapping)
    outbox = count_by_state()
    counts["outbox_pending"] = outbox.get(OutboxState.PENDING, 0) + outbox.get(
        OutboxState.SENDING, 0
    )
    counts["outbox_failed"] = outbox.get(OutboxState.FAILED, 0)
    queue = get_queue()
    counts["jobs_async"] = current_app.config["JOBS_ASYNC"]
    counts["jobs_queued"] = queue.count if counts["jobs_async"] else None
    counts["jobs_failed"] = FailedJobRegistry(queue=queue).count
    return counts


def users_listing(query=""):
    """Everyone, newest first, or those whose name or address holds query."""
    statement = sa.select(User).order_by(User.id.desc())
    if query:
        statement = statement.where(member_matches(query))
    return statement


def groups_listing(query=""):
    """Groups not deleted (suspended ones too), by name."""
    statement = sa.select(Group).where(Group.deleted_at.is_(None)).order_by(Group.name, Group.id)
    if query:
        statement = statement.where(group_matches(like_anywhere(query)))
    return statement


def outbox_listing(state):
    """Messages in one state, the newest first."""
    return (
        sa.select(OutboxMessage)
        .where(OutboxMessage.state == state)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )


BULK_SENDS_SHOWN = 10
# What the messages of a send to many are counted as, in the order shown; one being sent
# is still waiting.
BULK_STATES = (OutboxState.SENT, OutboxState.PENDING, OutboxState.FAILED, OutboxState.DISCARDED)


class BulkSend(NamedTuple):
    """One send to many (an announcement) and {state of BULK_STATES: how many messages}."""

    announcement: Announcement
    counts: dict


def recent_bulk_sends(limit=BULK_SENDS_SHOWN):
    """The announcements that went out (or are going) last, with their messages counted by
    state: two queries, however many there are."""
    announcements = db.session.scalars(
        sa.select(Announcement)
        .where(Announcement.state.in_([str(state) for state in GONE]))
        .options(
            load_only(Announcement.subject, Announcement.send_at, Announcement.state),
            joinedload(Announcement.group).load_only(Group.name),
            joinedload(Announcement.event).load_only(Event.title),
        )
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
        .limit(limit)
    ).all()
    by_id = delivery_counts(announcements)
    return [
        BulkSend(announcement, _by_shown_state(by_id[announcement.id]))
        for announcement in announcements
    ]


def _by_shown_state(counts):
    shown = {state: counts.get(state, 0) for state in BULK_STATES}
    shown[OutboxState.PENDING] += counts.get(OutboxState.SENDING, 0)
    return shown


def audit_listing(actor_id=None, action=None, group_id=None, since=None, until=None):
    """The audit log, newest first, narrowed by whichever filters are given."""
    statement = (
        sa.select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if actor_id is not None:
        statement = statement.where(AuditEntry.actor_id == actor_id)
    if action is not None:
        statement = statement.where(AuditEntry.action == action)
    if group_id is not None:
        statement = statement.where(AuditEntry.group_id == group_id)
    if since is not None:
        statement = statement.where(AuditEntry.created_at >= since)
    if until is not None:
        statement = statement.where(AuditEntry.created_at < until)
    return statement


def groups_by_id(ids):
    """{id: group} for the groups a page of the audit log names: one query."""
    if not ids:
        return {}
    return {
        group.id: group
        for group in db.session.scalars(
            sa.select(Group).where(Group.id.in_(ids)).options(load_only(Group.name, Group.slug))
        )
    }
