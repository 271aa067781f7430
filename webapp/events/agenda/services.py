"""Rules of an event's agenda: sessions inside the event's time, never two at once in one
room, a few speakers each. verb_noun(actor, ...): they flush and raise RuleError; the
request commits.

Every write first locks the event's row and then re-reads what it decides on (the event's
times and status, the sessions that could clash, the speakers already there), so two
organisers saving at the same moment are decided one after the other.

Rooms: compared trimmed and case-insensitively ("Main hall" is "main  HALL "). A session
without a room clashes with nothing: it is not tied to a place (registration, a break, an
online talk), and two rooms nobody named cannot be known to be the same one.
"""

import sqlalchemy as sa

from webapp.database.unit_of_work import RuleError, lock_row
from webapp.events.agenda.models import AgendaSession, Speaker
from webapp.events.agenda.times import day_and_clock, time_span
from webapp.events.models import Event
from webapp.events.times import to_utc
from webapp.extensions import db
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext

# Enough for a two-day conference; keeps the agenda one bounded query and page.
MAX_SESSIONS = 100
MAX_SPEAKERS = 10


def tidy(text):
    """Trimmed, with runs of spaces made one: what is stored and shown."""
    return " ".join((text or "").split())


def room_key(room):
    return tidy(room).casefold()


def lock_open_event(event):
    """Lock the event, then read its times and status as they are now."""
    lock_row(event)
    db.session.refresh(event, ["starts_at", "ends_at", "status", "deleted_at"])
    if not event.is_live:
        raise RuleError(_("This event has been deleted."))
    if event.is_cancelled:
        raise RuleError(_("This event is cancelled: its agenda can no longer change."))


def still_there(model, row_id):
    """Read after the lock: another organiser may have deleted it a moment ago."""
    if db.session.scalar(sa.select(model.id).where(model.id == row_id)) is None:
        if model is Speaker:
            raise RuleError(_("This speaker was deleted meanwhile. Reload the page."))
        raise RuleError(_("This session was deleted meanwhile. Reload the page."))


def session_times(event, data):
    """The session's start and end in UTC, refused unless they lie within the event."""
    zone = event.zone
    starts_at = to_utc(data["starts_at"], zone, "starts_at")
    ends_at = to_utc(data["ends_at"], zone, "ends_at")
    if ends_at <= starts_at:
        raise RuleError(_("End the session after it starts."), "ends_at")
    if starts_at < event.starts_at:
        raise RuleError(
            # TRANSLATORS: day is "Sat 14 Jun", time "10:00".
            _(
                "The event starts on %(day)s at %(time)s: start the session then or later.",
                **day_and_clock(event.starts_at, zone),
            ),
            "starts_at",
        )
    if starts_at >= event.ends_at:
        raise RuleError(
            # TRANSLATORS: day is "Sat 14 Jun", time "10:00".
            _(
                "The event ends on %(day)s at %(time)s: start the session before then.",
                **day_and_clock(event.ends_at, zone),
            ),
            "starts_at",
        )
    if ends_at > event.ends_at:
        raise RuleError(
            # TRANSLATORS: day is "Sat 14 Jun", time "10:00".
            _(
                "The event ends on %(day)s at %(time)s: end the session by then.",
                **day_and_clock(event.ends_at, zone),
            ),
            "ends_at",
        )
    return starts_at, ends_at


def refuse_room_clash(event, starts_at, ends_at, room, session=None):
    """No two sessions overlap in one room (sessions that only touch do not overlap)."""
    key = room_key(room)
    if not key:
        return
    overlapping = (
        sa.select(AgendaSession)
        .where(
            AgendaSession.event_id == event.id,
            AgendaSession.starts_at < ends_at,
            AgendaSession.ends_at > starts_at,
        )
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    if session is not None:
        overlapping = overlapping.where(AgendaSession.id != session.id)
    for other in db.session.scalars(overlapping):
        if room_key(other.room) == key:
            raise RuleError(
                # TRANSLATORS: room and title are what organisers typed; span "Sat 14 Jun,
                # 10:00 to 11:30" (with an en dash).
                _(
                    "%(room)s is taken then by “%(title)s” (%(span)s). Choose another time or "
                    "room.",
                    room=other.room,
                    title=other.title,
                    span=time_span(other.starts_at, other.ends_at, event.zone),
                ),
                "room",
            )


def add_session(actor, event, data):
    """A new session on event's agenda. data: title, starts_at, ends_at (local, naive), room."""
    lock_open_event(event)
    starts_at, ends_at = session_times(event, data)
    room = tidy(data.get("room"))
    how_many = db.session.scalar(
        sa.select(sa.func.count()).where(AgendaSession.event_id == event.id)
    )
    if how_many >= MAX_SESSIONS:
        raise RuleError(
            ngettext(
                "An agenda holds at most %(num)d session.",
                "An agenda holds at most %(num)d sessions.",
                MAX_SESSIONS,
            )
        )
    refuse_room_clash(event, starts_at, ends_at, room)
    session = AgendaSession(
        event_id=event.id,
        title=tidy(data["title"]),
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )
    db.session.add(session)
    db.session.flush()
    return session


def update_session(actor, session, data):
    """Change a session's title, times or room, under the same rules as a new one."""
    event = session_event(session)
    lock_open_event(event)
    still_there(AgendaSession, session.id)
    starts_at, ends_at = session_times(event, data)
    room = tidy(data.get("room"))
    refuse_room_clash(event, starts_at, ends_at, room, session)
    session.title = tidy(data["title"])
    session.starts_at, session.ends_at, session.room = starts_at, ends_at, room
    db.session.flush()
    return session


def delete_session(actor, session):
    """Take a session (and its speakers) off the agenda."""
    lock_open_event(session_event(session))
    still_there(AgendaSession, session.id)
    db.session.delete(session)
    db.session.flush()


def add_speaker(actor, session, data):
    """A speaker (name, short bio) at the end of a session's list, up to MAX_SPEAKERS."""
    lock_open_event(session_event(session))
    still_there(AgendaSession, session.id)
    count, last = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(Speaker.position)).where(
            Speaker.session_id == session.id
        )
    ).one()
    if count >= MAX_SPEAKERS:
        raise RuleError(
            ngettext(
                "A session has at most %(num)d speaker.",
                "A session has at most %(num)d speakers.",
                MAX_SPEAKERS,
            ),
            "name",
        )
    speaker = Speaker(
        session_id=session.id,
        name=tidy(data["name"]),
        bio=(data.get("bio") or "").strip(),
        position=(last or 0) + 1,
    )
    db.session.add(speaker)
    db.session.flush()
    return speaker


def remove_speaker(actor, speaker):
    """Take a speaker off their session."""
    lock_open_event(session_event(speaker.session))
    still_there(Speaker, speaker.id)
    db.session.delete(speaker)
    db.session.flush()


def session_event(session):
    # Already in the session's identity map when a view loaded it: no query.
    return db.session.get(Event, session.event_id)
