"""Input validation for series: how a new event repeats (NewEventForm), and the buttons
of standing answers. Whether a rule can make a series from its first date is a rule
(rules.check), which names the field it refuses."""

from babel.dates import get_day_names
from wtforms import DateField, RadioField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional, StopValidation

from webapp.events.forms import EventForm
from webapp.events.series.rules import (
    MAX_COUNT,
    MAX_INTERVAL,
    MONTHLY,
    ON_DAY,
    ON_WEEKDAY,
    WEEKLY,
    RepeatRule,
)
from webapp.web.forms import CheckboxesField, WholeNumberField
from webapp.web.translating import current_locale
from webapp.web.translating import lazy_gettext as _l

NEVER, ON_A_DATE, AFTER_SOME = "never", "until", "count"


class NeededWhenEnding:
    """The field must be filled when the series ends this way (Optional otherwise, after
    it): an inline validate_<field> would never run, since Optional stops the chain of an
    empty field first."""

    def __init__(self, ends, message):
        self.ends, self.message = ends, message

    def __call__(self, form, field):
        if form.repeats.data and form.repeat_ends.data == self.ends and field.data is None:
            # An empty box's own complaint ("not a valid date") would say less.
            field.errors[:] = []
            raise StopValidation(str(self.message))


def weekday_choices():
    """(0 to 6, the weekday's name in the page's language), Monday first."""
    names = get_day_names("wide", "format", locale=current_locale() or "en")
    return [SelectChoice(day, names[day]) for day in range(7)]


class NewEventForm(EventForm):
    """An event, and whether it repeats: a series of dates, each a real event."""

    repeats = SelectField(
        _l("Repeats"),
        choices=[
            SelectChoice("", _l("Does not repeat")),
            SelectChoice(WEEKLY, _l("Weekly")),
            SelectChoice(MONTHLY, _l("Monthly")),
        ],
        default="",
    )
    repeat_every = WholeNumberField(
        _l("Every how many weeks or months"),
        default=1,
        validators=[
            Optional(),
            NumberRange(1, MAX_INTERVAL, _l("From 1 to %(most)d.", most=MAX_INTERVAL)),
        ],
        description=_l("1: every week (or month); 2: every other one; and so on."),
    )
    repeat_weekdays = CheckboxesField(
        _l("On these days (weekly)"),
        choices=weekday_choices,
        coerce=int,
        description=_l("None chosen: the first date's day."),
    )
    repeat_monthly_on = RadioField(
        _l("On which day (monthly)"),
        choices=[
            SelectChoice(ON_DAY, _l("The first date's day of the month (the 15th, say)")),
            SelectChoice(
                ON_WEEKDAY, _l("The first date's weekday of the month (the third Tuesday, say)")
            ),
        ],
        default=ON_DAY,
    )
    repeat_ends = RadioField(
        _l("Ends"),
        choices=[
            SelectChoice(NEVER, _l("Never")),
            SelectChoice(ON_A_DATE, _l("On the last date below")),
            SelectChoice(AFTER_SOME, _l("After the number of dates below")),
        ],
        default=NEVER,
    )
    repeat_until = DateField(
        _l("Last date"),
        validators=[NeededWhenEnding(ON_A_DATE, _l("Which day is the last?")), Optional()],
        description=_l("No date of the series comes after this day."),
    )
    repeat_count = WholeNumberField(
        _l("Number of dates"),
        validators=[
            NeededWhenEnding(AFTER_SOME, _l("How many dates?")),
            Optional(),
            NumberRange(2, MAX_COUNT, _l("From 2 to %(most)d dates.", most=MAX_COUNT)),
        ],
    )

    def repeat_rule(self):
        """The RepeatRule chosen, or None for a single event."""
        if not self.repeats.data:
            return None
        ends = self.repeat_ends.data
        return RepeatRule(
            frequency=self.repeats.data,
            interval=self.repeat_every.data or 1,
            weekdays=tuple(self.repeat_weekdays.data or ()) if self.repeats.data == WEEKLY else (),
            monthly_on=self.repeat_monthly_on.data or ON_DAY,
            until=self.repeat_until.data if ends == ON_A_DATE else None,
            count=self.repeat_count.data if ends == AFTER_SOME else None,
        )


THIS_DATE, FOLLOWING = "this", "following"


class SeriesDateForm(EventForm):
    """A date of a series, changed alone or with every later date of the series."""

    applies_to = RadioField(
        _l("Change"),
        choices=[
            SelectChoice(THIS_DATE, _l("This date only")),
            SelectChoice(FOLLOWING, _l("This date and every later one")),
        ],
        default=THIS_DATE,
        description=_l(
            "Later dates changed on their own, and cancelled ones, stay as they are; so do "
            "earlier dates."
        ),
    )
