"""Reading an event's agenda: its sessions with their speakers in one query, and the
programme the event page shows (by day when the event spans days, in the event's zone,
the viewer's own zone beside it when it differs).

Sessions that an edit of the event's times left outside its span are shown, flagged, to
those who can fix them, and left out for everyone else: a programme at the wrong times
would mislead, and a session that silently vanished would surprise its organisers.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.database.setup import PREPARED
from webapp.events.access import can_manage_event, known_to_have_none
from webapp.events.agenda.forms import session_form, speaker_form
from webapp.events.agenda.models import AgendaSession, Speaker
from webapp.events.agenda.services import MAX_SPEAKERS
from webapp.events.agenda.times import local_input, long_day, time_span
from webapp.extensions import db
from webapp.web.translating import gettext as _

NEW_SESSION_LENGTH = timedelta(hours=1)


def can_edit_agenda(user, event):
    """Organisers change the agenda of a live event until it is cancelled."""
    return can_manage_event(user, event) and not event.is_cancelled


# One query however many sessions and speakers: a join, the speakers filled from it.
# populate_existing: a speaker added earlier in the request shows up in the list. Built
# once: every view of an event reads its agenda, and building the statement cost more
# than running it.
_SESSIONS_OF = (
    sa.select(AgendaSession)
    .outerjoin(AgendaSession.speakers)
    .options(contains_eager(AgendaSession.speakers))
    .where(AgendaSession.event_id == sa.bindparam("event_id"))
    .order_by(AgendaSession.starts_at, AgendaSession.id, Speaker.position, Speaker.id)
    .execution_options(populate_existing=True, **{PREPARED: True})
)
_SESSION_IN = _SESSIONS_OF.where(AgendaSession.id == sa.bindparam("session_id"))


def sessions_of(event):
    """The event's sessions in order, each with its speakers: one query, or none when the
    event's page read that it has none."""
    if known_to_have_none("agenda", event):
        return []
    return db.session.scalars(_SESSIONS_OF, {"event_id": event.id}).unique().all()


def session_in(event, session_id):
    """One of the event's sessions with its speakers, or None."""
    found = db.session.scalars(_SESSION_IN, {"event_id": event.id, "session_id": session_id})
    return found.unique().one_or_none()


def speaker_in(session, speaker_id):
    """One of the session's speakers (already loaded with it), or None."""
    return next((s for s in session.speakers if s.id == speaker_id), None)


@dataclass(frozen=True)
class Row:
    session: AgendaSession
    time: str
    starts_iso: str
    viewer_time: str
    outside: bool


@dataclass
class Day:
    label: str
    rows: list = field(default_factory=list)


@dataclass
class Agenda:
    event: object
    days: list
    by_day: bool
    only_day: str
    viewer_zone: str | None
    can_edit: bool
    outside: int
    new_form: object = None
    adding: bool = False
    time_note: str = ""
    read_only: bool = False
    speaker_forms: dict = field(default_factory=dict)
    rows_by_id: dict = field(default_factory=dict)
    max_speakers: ClassVar[int] = MAX_SPEAKERS

    @property
    def is_empty(self):
        return not self.days

    def speaker_form(self, session):
        """The form posted for this session (with its errors), or a fresh one."""
        return self.speaker_forms.get(session.id) or speaker_form(session)

    def row(self, session):
        return self.rows_by_id[session.id]


def viewer_zone_for(event):
    zone_name = current_user.time_zone if current_user.is_authenticated else None
    if not zone_name or zone_name == event.time_zone:
        return None
    return ZoneInfo(zone_name)


def build_agenda(event, sessions, can_edit):
    """The programme as shown: days of rows with their times already written out."""
    zone, viewer_zone = event.zone, viewer_zone_for(event)
    shown = []
    for session in sessions:
        outside = session.starts_at < event.starts_at or session.ends_at > event.ends_at
        if outside and not can_edit:
            continue
        shown.append((session, outside, session.starts_at.astimezone(zone)))
    offsets = {local.utcoffset() for _, _, local in shown}
    offsets |= {
        event.starts_at.astimezone(zone).utcoffset(),
        event.ends_at.astimezone(zone).utcoffset(),
    }
    clocks_change = len(offsets) > 1
    last_day = (event.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    spans_days = event.starts_at.astimezone(zone).date() != last_day
    days, by_date, rows_by_id = [], {}, {}
    for session, outside, start in shown:
        row = make_row(session, start, zone, viewer_zone, clocks_change, outside)
        rows_by_id[session.id] = row
        day = by_date.get(start.date())
        if day is None:
            day = by_date[start.date()] = Day(long_day(start))
            days.append(day)
        day.rows.append(row)
    return Agenda(
        event=event,
        days=days,
        by_day=spans_days or len(days) > 1,
        only_day=long_day(event.starts_at.astimezone(zone)),
        viewer_zone=viewer_zone.key if any(r.viewer_time for r in rows_by_id.values()) else None,
        can_edit=can_edit,
        outside=sum(1 for row in rows_by_id.values() if row.outside),
        time_note=time_note(event),
        rows_by_id=rows_by_id,
    )


def make_row(session, start, zone, viewer_zone, clocks_change, outside):
    time = time_span(start, session.ends_at, zone, with_day=False, abbreviate=clocks_change)
    viewer_time = ""
    if viewer_zone is not None and any(
        moment.utcoffset() != moment.astimezone(viewer_zone).utcoffset()
        for moment in (start, session.ends_at.astimezone(zone))
    ):
        viewer_time = time_span(session.starts_at, session.ends_at, viewer_zone)
    return Row(
        session=session,
        time=time,
        starts_iso=session.starts_at.isoformat(),
        viewer_time=viewer_time,
        outside=outside,
    )


def time_note(event):
    """What the time fields of a form are in, and which 01:30 a night of two 01:30s means."""
    zone = event.zone
    zone_name = event.time_zone.replace("_", " ")
    before, after = (moment.astimezone(zone) for moment in (event.starts_at, event.ends_at))
    if before.utcoffset() != after.utcoffset():
        # TRANSLATORS: zone is "Europe/Paris"; before and after are abbreviations (CET, CEST).
        return _(
            "Times in %(zone)s. The clocks change during this event (%(before)s to "
            "%(after)s): a time that happens twice means the first of the two.",
            zone=zone_name,
            before=before.tzname(),
            after=after.tzname(),
        )
    # TRANSLATORS: zone is "Europe/Paris".
    return _("Times in %(zone)s.", zone=zone_name)


def session_values(session):
    """An existing session as its form shows it: local times in the event's zone."""
    zone = session.event.zone
    return {
        "title": session.title,
        "starts_at": local_input(session.starts_at, zone),
        "ends_at": local_input(session.ends_at, zone),
        "room": session.room,
    }


def new_session_values(event, sessions, after=None):
    """Where the next session probably goes: after the one just added, else after the
    last one, else at the event's start; an hour long, within the event."""
    inside = [s.ends_at for s in sessions if event.starts_at <= s.ends_at < event.ends_at]
    starts_at = max(inside, default=event.starts_at)
    if after is not None and event.starts_at <= after.ends_at < event.ends_at:
        starts_at = after.ends_at
    ends_at = min(starts_at + NEW_SESSION_LENGTH, event.ends_at)
    return {
        "starts_at": local_input(starts_at, event.zone),
        "ends_at": local_input(ends_at, event.zone),
    }


def new_session_form(event, sessions=None, added=None):
    """The form for a new session, its times suggested (new_session_values)."""
    sessions = sessions_of(event) if sessions is None else sessions
    return session_form(values=new_session_values(event, sessions, added))


def agenda_context(event, added=None, speaker_forms=None):
    """What templates/events/agenda/_agenda.html needs: {"agenda": ...}, one query.

    added: the session just added; the form stays open for the next, suggested after it.
    speaker_forms: a speaker form posted with errors, by its session's id.
    """
    can_edit = can_edit_agenda(current_user, event)
    sessions = sessions_of(event)
    agenda = build_agenda(event, sessions, can_edit)
    agenda.read_only = event.is_cancelled and can_manage_event(current_user, event)
    if can_edit:
        if added is not None:
            # Right after an add the form stays open for the next session. Otherwise it
            # is fetched when opened (new_session_form): on every view of the event it
            # cost its organisers more than the rest of the agenda.
            agenda.new_form = new_session_form(event, sessions, added)
            agenda.adding = True
        agenda.speaker_forms = speaker_forms or {}
    return {"agenda": agenda}
