"""The announcements the open web shows (the Atom feeds): those its organisers made
public, once they have gone, of public groups that are live and not suspended."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from webapp.announcements.models import Announcement, AnnouncementState
from webapp.extensions import db
from webapp.groups.models import Group, Visibility
from webapp.groups.queries import like_anywhere
from webapp.open_web.public_events import ATOM_ENTRIES

GONE = (AnnouncementState.SENDING, AnnouncementState.SENT)


def published_announcements(group_id, query):
    """The public announcements sent last, newest first, of one group or all, matching a
    search word in their subject or words."""
    statement = (
        sa.select(Announcement)
        .join(Group, Group.id == Announcement.group_id)
        .options(contains_eager(Announcement.group))
        .where(
            Announcement.public,
            Announcement.state.in_(GONE),
            Group.visibility == Visibility.PUBLIC,
            Group.listed(),
        )
        .order_by(Announcement.send_at.desc(), Announcement.id.desc())
        .limit(ATOM_ENTRIES)
    )
    if group_id is not None:
        statement = statement.where(Announcement.group_id == group_id)
    if query:
        pattern = like_anywhere(query)
        statement = statement.where(
            sa.or_(
                sa.func.lower(Announcement.subject).like(pattern, escape="\\"),
                sa.func.lower(Announcement.body).like(pattern, escape="\\"),
            )
        )
    return db.session.scalars(statement).all()
