"""Form data for the event pages, and reading events back from the database."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.events.models import Event
from webapp.extensions import db


def local(days=30, hour=18, minute=0):
    """A wall-clock time `days` from today, as <input type="datetime-local"> sends it."""
    moment = (datetime.now() + timedelta(days=days)).replace(hour=hour, minute=minute)
    return moment.strftime("%Y-%m-%dT%H:%M")


def event_data(**overrides):
    """A valid event form: a walk in Berlin a month from now, 18:00-20:00."""
    data = {
        "title": "Canal walk",
        "description": "Meet at the **lock**.",
        "starts_at": local(hour=18),
        "ends_at": local(hour=20),
        "time_zone": "Europe/Berlin",
        "venue": "The old lock",
        "address": "Landwehrkanal, Berlin",
        "online_url": "",
        "capacity": "",
        "rsvp_deadline": "",
        "guests_allowed": "0",
    }
    data.update(overrides)
    return data


def stored_event(app, event_id=None, title=None):
    """The stored event by id or title (deleted ones too), loaded and detached."""
    with app.app_context():
        where = Event.id == event_id if event_id else Event.title == title
        return db.session.scalar(sa.select(Event).where(where))


def event_path(event):
    return f"/events/{event.id}-{event.slug}"
