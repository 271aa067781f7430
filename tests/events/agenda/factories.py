"""Agenda sessions and speakers for tests, made straight in the database, and the weekend
event most agenda tests use: Europe/Berlin, across the night the clocks go forward."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.events.factories import make_event
from tests.groups.factories import loaded
from webapp.events.agenda.models import AgendaSession, Speaker
from webapp.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")
# Saturday 09:00 CET to Sunday 17:00 CEST; at 02:00 on Sunday the clocks jump to 03:00.
WEEKEND = ("2030-03-30T09:00", "2030-03-31T17:00")


def berlin(text):
    """A Berlin wall-clock time as UTC (SQLite keeps no zone: store UTC only)."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


def make_weekend(group, title="Maker weekend", **fields):
    starts, ends = WEEKEND
    return make_event(
        group,
        title=title,
        time_zone="Europe/Berlin",
        starts_at=berlin(starts),
        ends_at=berlin(ends),
        **fields,
    )


def make_session(event, title, starts, ends, room="", speakers=()):
    """A committed session of event from starts to ends (Berlin wall-clock text), with
    speakers given as (name, bio) pairs; call in an app context."""
    session = AgendaSession(
        event_id=event.id, title=title, starts_at=berlin(starts), ends_at=berlin(ends), room=room
    )
    db.session.add(session)
    db.session.flush()
    for position, (name, bio) in enumerate(speakers, start=1):
        db.session.add(Speaker(session_id=session.id, name=name, bio=bio, position=position))
    db.session.commit()
    loaded(session)
    return session


def session_form(title, starts, ends, room="", prefix="new"):
    """What the session form posts: Berlin wall-clock times as a datetime-local input sends."""
    return {
        f"{prefix}-title": title,
        f"{prefix}-starts_at": starts,
        f"{prefix}-ends_at": ends,
        f"{prefix}-room": room,
    }
