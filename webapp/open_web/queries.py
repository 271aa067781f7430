"""What the sitemaps list: public groups that are live and not suspended, and their
published events that are not deleted, each in order of id, a page at a time."""

import sqlalchemy as sa

from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group, Visibility


def _public_groups():
    return sa.and_(Group.visibility == Visibility.PUBLIC, Group.listed())


def _public_events():
    return sa.and_(
        Event.status == EventStatus.PUBLISHED, Event.deleted_at.is_(None), _public_groups()
    )


def public_group_count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Group).where(_public_groups()))


def public_event_count():
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Event)
        .join(Group, Group.id == Event.group_id)
        .where(_public_events())
    )


def public_groups_page(number, per_page):
    """[(slug, created_at)] of page number (from 1) of the public groups."""
    return db.session.execute(
        sa.select(Group.slug, Group.created_at)
        .where(_public_groups())
        .order_by(Group.id)
        .offset((number - 1) * per_page)
        .limit(per_page)
    ).all()


def public_events_page(number, per_page):
    """[(id, slug, updated_at)] of page number (from 1) of the public events."""
    return db.session.execute(
        sa.select(Event.id, Event.slug, Event.updated_at)
        .join(Group, Group.id == Event.group_id)
        .where(_public_events())
        .order_by(Event.id)
        .offset((number - 1) * per_page)
        .limit(per_page)
    ).all()
