"""How often people came: of a group's last events whose door was used (someone was
checked in there), how many each member was checked in at. Organisers read it as a column
of the members page, each member their own on the group's page, with which events they
came to; both through
webapp/web/panels.py, so groups names no event."""

import sqlalchemy as sa
from flask_login import current_user

from webapp.database.times import utcnow
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.access import can_take_part
from webapp.web.panels import add_column, add_panel
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import ngettext

# "Came to 3 of the last 5": enough to tell a regular from someone who stopped coming.
LAST_EVENTS = 5


def _last_with_door(group, now, *columns):
    """columns of the group's last LAST_EVENTS events that are over and whose door was
    used, the latest first."""
    door_used = sa.exists().where(CheckIn.event_id == Event.id)
    return (
        sa.select(*columns)
        .where(
            Event.group_id == group.id,
            Event.status == EventStatus.PUBLISHED,
            Event.deleted_at.is_(None),
            Event.ends_at <= (now or utcnow()),
            door_used,
        )
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(LAST_EVENTS)
    )


def came_counts(group, user_ids, now=None):
    """(how many of the group's last LAST_EVENTS events with a door are over, {user id: how
    many of them they were checked in at}) for user_ids: one statement."""
    recent = _last_with_door(group, now, Event.id).cte("recent")
    total = sa.select(sa.func.count().label("total")).select_from(recent).subquery()
    came = (
        sa.select(CheckIn.user_id, sa.func.count().label("came"))
        .where(CheckIn.event_id.in_(sa.select(recent.c.id)), CheckIn.user_id.in_(user_ids))
        .group_by(CheckIn.user_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(total.c.total, came.c.user_id, came.c.came).select_from(
            total.outerjoin(came, sa.true())
        )
    ).all()
    counts = {user_id: number for _total, user_id, number in rows if user_id is not None}
    return (rows[0].total if rows else 0), counts


def own_history(group, user, now=None):
    """[(id, slug, title, starts_at, came)] of the group's last LAST_EVENTS events with a
    door that are over, the latest first, came: whether user was checked in there. One
    statement."""
    came = sa.exists().where(CheckIn.event_id == Event.id, CheckIn.user_id == user.id)
    return db.session.execute(
        _last_with_door(
            group, now, Event.id, Event.slug, Event.title, Event.starts_at, came.label("came")
        )
    ).all()


@add_column("groups.manage.members", "came", _l("Came"), order=10)
def came_column(group, user_ids):
    """ "3 of the last 5" per member shown; no column until the group used a door."""
    if not group.door_used or not user_ids:
        return None
    total, counts = came_counts(group, user_ids)
    if not total:
        return None
    return {
        user_id: ngettext(
            "%(came)s of 1 event",
            "%(came)s of the last %(num)s",
            total,
            came=counts.get(user_id, 0),
        )
        for user_id in user_ids
    }


@add_panel("groups.detail", "attendance", "events/checkin/_group_attendance.html", order=30)
def own_attendance(group, can_manage):
    """A member's own record on the group's page; no query for others, nor until the
    group used a door."""
    if not group.door_used or not can_take_part(current_user, group):
        return {"own_attendance": None}
    history = own_history(group, current_user)
    if not history:
        return {"own_attendance": None}
    came = sum(1 for event in history if event.came)
    return {"own_attendance": (came, len(history)), "own_history": history}
