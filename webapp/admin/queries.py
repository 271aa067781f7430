"""Reads for the admin's pages: counts, people, groups, the outbox and the audit log."""

import functools

import sqlalchemy as sa
from flask import current_app
from rq.registry import FailedJobRegistry
from sqlalchemy.orm import load_only, selectinload

from webapp.accounts.models import User
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
