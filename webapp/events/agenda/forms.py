"""Input validation for agenda sessions and speakers; the rules are in agenda.py.

Several of these forms share the event page (the new session, a session being edited,
each session's speaker form), so each carries a prefix that keeps its ids apart.
"""

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from webapp.events.agenda.services import tidy
from webapp.web.translating import lazy_gettext as _l

# What a datetime-local input sends, first; what someone types by hand after.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
NOT_A_TIME = _l("Enter a date and time, like 2026-06-14 14:30.")


def _moment(label, missing):
    return DateTimeLocalField(
        label,
        format=LOCAL_FORMATS,
        # InputRequired, not DataRequired: that one would hide "not a date" behind "missing".
        validators=[InputRequired(missing)],
        invalid_value_message=NOT_A_TIME,
    )


class SessionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the session a title.")), Length(max=150)],
        filters=[tidy],
    )
    starts_at = _moment(_l("Starts"), _l("Enter when the session starts."))
    ends_at = _moment(_l("Ends"), _l("Enter when the session ends."))
    room = StringField(
        _l("Room (optional)"),
        validators=[Optional(), Length(max=100)],
        filters=[tidy],
        description=_l("Two sessions cannot be in the same room at the same time."),
    )


class SpeakerForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the speaker's name.")), Length(max=100)],
        filters=[tidy],
    )
    bio = TextAreaField(
        _l("Short bio (optional)"),
        validators=[Optional(), Length(max=500)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def session_form(session=None, values=None, posted=False):
    """The form for a new session (prefix "new") or for one being edited (its id's).

    values: what it shows before anything is posted (local, naive times). posted: read
    the request's form; otherwise an untouched form, even while answering a POST.
    """
    prefix = f"session-{session.id}" if session is not None else "new"
    if posted:
        return SessionForm(prefix=prefix, data=values)
    return SessionForm(prefix=prefix, formdata=None, data=values)


def speaker_form(session, posted=False):
    prefix = f"speaker-{session.id}"
    return SpeakerForm(prefix=prefix) if posted else SpeakerForm(prefix=prefix, formdata=None)
