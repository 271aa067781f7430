"""Reads of announcements: a group's and an event's, which of them one has read, how one
takes a group's announcements, and how their messages fared."""

import sqlalchemy as sa

from webapp.announcements.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementState,
    Delivery,
)
from webapp.announcements.sending import bulk_key
from webapp.extensions import db
from webapp.outbox.queries import counts_of_bulk

GONE = (AnnouncementState.SENDING, AnnouncementState.SENT)


def group_announcements(group, with_waiting=False):
    """The statement of a group's announcements to its members, latest first (organisers:
    with those scheduled and withdrawn); an event's are on the event's page."""
    statement = (
        sa.select(Announcement)
        .where(Announcement.group_id == group.id, Announcement.event_id.is_(None))
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
    )
    if not with_waiting:
        statement = statement.where(Announcement.state.in_([str(state) for state in GONE]))
    return statement


def event_announcements(event, answer=None, with_waiting=False):
    """The statement of an event's announcements, latest first: those that went to answer
    (organisers: all of them), or None when none can have gone to answer."""
    statement = (
        sa.select(Announcement)
        .where(Announcement.event_id == event.id)
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
    )
    if with_waiting:
        return statement
    column = {
        "going": Announcement.to_going,
        "maybe": Announcement.to_maybe,
        "waitlisted": Announcement.to_waitlisted,
    }.get(str(answer) if answer else None)
    if column is None:
        return None
    return statement.where(Announcement.state.in_([str(state) for state in GONE]), column.is_(True))


def with_reads(statement, user):
    """The announcements of statement, and the ids of those user has read: one query."""
    if statement is None:
        return [], set()
    has_read = (
        sa.exists()
        .where(
            AnnouncementRead.announcement_id == Announcement.id,
            AnnouncementRead.user_id == user.id,
        )
        .label("has_read")
    )
    rows = db.session.execute(statement.add_columns(has_read)).all()
    return [row[0] for row in rows], {row[0].id for row in rows if row.has_read}


def read_ids(user, announcements):
    """The ids of those of announcements that user has read."""
    ids = [announcement.id for announcement in announcements]
    if not ids or not user.is_authenticated:
        return set()
    return set(
        db.session.scalars(
            sa.select(AnnouncementRead.announcement_id).where(
                AnnouncementRead.user_id == user.id, AnnouncementRead.announcement_id.in_(ids)
            )
        )
    )


def unread_count(user, group):
    """How many of group's announcements that went out user has not read."""
    if not user.is_authenticated:
        return 0
    listed = group_announcements(group).subquery()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(listed)
        .where(
            ~sa.exists().where(
                AnnouncementRead.announcement_id == listed.c.id,
                AnnouncementRead.user_id == user.id,
            )
        )
    )


def delivery_of(user, group):
    """How group's announcements reach user."""
    chosen = db.session.scalar(
        sa.select(AnnouncementDelivery.delivery).where(
            AnnouncementDelivery.user_id == user.id, AnnouncementDelivery.group_id == group.id
        )
    )
    return Delivery(chosen) if chosen else Delivery.EMAIL


def delivery_counts(announcements):
    """{announcement id: {outbox state: how many}} of their messages."""
    keys = {bulk_key(announcement.id): announcement.id for announcement in announcements}
    return {keys[key]: counts for key, counts in counts_of_bulk(list(keys)).items()}
