"""Input validation for events: types, lengths and ranges. The rules that compare fields
with each other or with the event's state (end after start, capacity above the people
going, times the clocks skip) live in services.py, which names the field it refuses."""

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from webapp.accounts.forms import time_zone_choices, time_zone_names
from webapp.events.services import EventDetails
from webapp.web.forms import LongListSelect, WholeNumberField, web_address_field
from webapp.web.numbers import lazy_number
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
# Far enough either way for any real event, and well inside what every database and every
# time zone conversion can hold (year 1 in a zone east of UTC falls off the calendar).
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_CAPACITY = 100_000
MAX_GUESTS = 10
FOLD_HINT = _l(
    "In the event's time zone. When the clocks go back, a time that happens twice means "
    "the first one; a time skipped when they go forward is refused."
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LocalTimeField(DateTimeLocalField):
    """A wall-clock date and time (naive) from <input type="datetime-local">."""

    def __init__(self, label, **kwargs):
        super().__init__(label, format=TIME_FORMATS, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a date and time, such as 2026-12-05 18:00.")) from None


def _within_calendar(form, field):
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )


def _known_zone(form, field):
    if field.data not in frozenset(time_zone_names()):
        raise ValidationError(_("Choose a time zone from the list."))


class EventForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the event a title.")), Length(max=150)],
        filters=[_strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10_000)],
        filters=[_strip],
        description=_l("Markdown: **bold**, *italic*, [links](https://example.org), lists."),
    )
    starts_at = LocalTimeField(
        _l("Starts"),
        validators=[InputRequired(_l("When does it start?")), _within_calendar],
        description=FOLD_HINT,
    )
    ends_at = LocalTimeField(
        _l("Ends"),
        validators=[InputRequired(_l("When does it end?")), _within_calendar],
        description=_l("In the event's time zone."),
    )
    time_zone = SelectField(
        _l("Time zone"),
        choices=time_zone_choices,
        widget=LongListSelect(time_zone_choices),
        validate_choice=False,
        validators=[_known_zone],
        description=_l(
            "Where the event happens: its start and end are read on this zone's clocks."
        ),
    )
    venue = StringField(_l("Venue"), validators=[Length(max=200)], filters=[_strip])
    address = StringField(_l("Address"), validators=[Length(max=300)], filters=[_strip])
    online_url = web_address_field(
        _l("Online link"),
        description=_l("For an event online (or both): shown to the group's members only."),
    )
    capacity = WholeNumberField(
        _l("Capacity"),
        validators=[
            Optional(),
            NumberRange(
                1,
                MAX_CAPACITY,
                _l("Capacity is from 1 to %(most)s people.", most=lazy_number(MAX_CAPACITY)),
            ),
        ],
        description=_l("How many people (guests included) may come. Empty: no limit."),
    )
    rsvp_deadline = LocalTimeField(
        _l("RSVP deadline"),
        validators=[Optional(), _within_calendar],
        description=_l("Answers close then (in the event's time zone). Empty: at the start."),
    )
    guests_allowed = WholeNumberField(
        _l("Guests each member may bring"),
        default=0,
        validators=[
            Optional(),
            NumberRange(
                0,
                MAX_GUESTS,
                _l("Each member may bring from 0 to %(most)d guests.", most=MAX_GUESTS),
            ),
        ],
    )

    def details(self):
        """What was typed, for the services (which convert the times and check the rules)."""
        return EventDetails(
            title=self.title.data,
            description=self.description.data or "",
            venue=self.venue.data or "",
            address=self.address.data or "",
            online_url=self.online_url.data or "",
            time_zone=self.time_zone.data,
            starts_at=self.starts_at.data,
            ends_at=self.ends_at.data,
            capacity=self.capacity.data,
            rsvp_deadline=self.rsvp_deadline.data,
            guests_allowed=self.guests_allowed.data or 0,
        )
