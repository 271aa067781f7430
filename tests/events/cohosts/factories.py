"""Co-hosts for tests, made straight in the database."""

from webapp.events.cohosts.models import EventCohost
from webapp.events.models import Event
from webapp.extensions import db


def make_cohost(event, user, added_by=None):
    """A committed co-hostship of user for event (they should be an active member of its
    group, as the rules would have it); call in an app context."""
    db.session.add(
        EventCohost(
            event_id=event.id, user_id=user.id, added_by_id=added_by.id if added_by else None
        )
    )
    db.session.get(Event, event.id).has_cohosts = True
    db.session.commit()
