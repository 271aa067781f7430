"""Announcements for tests, made straight in the database."""

from datetime import timedelta

from webapp.announcements.models import Announcement, AnnouncementState
from webapp.database.times import utcnow
from webapp.extensions import db


def make_announcement(
    group, author, event=None, in_days=None, subject="Bring a lantern", public=False, **to
):
    """A committed announcement of group: sent a moment ago, or scheduled in_days ahead;
    one of event goes to the people going unless told otherwise (to_maybe=True...); a
    public one anyone may read once it goes."""
    scheduled = in_days is not None
    if event is not None and not to:
        to = {"to_going": True}
    announcement = Announcement(
        group_id=group.id,
        event_id=event.id if event is not None else None,
        author_id=author.id,
        subject=subject,
        body="Lanterns at dusk.",
        body_html="<p>Lanterns at dusk.</p>",
        state=AnnouncementState.SCHEDULED if scheduled else AnnouncementState.SENT,
        send_at=utcnow() + timedelta(days=in_days or 0),
        sent_at=None if scheduled else utcnow(),
        public=public,
        **to,
    )
    db.session.add(announcement)
    (event or group).has_announcements = True  # as webapp.announcements.services does
    db.session.commit()
    return announcement
