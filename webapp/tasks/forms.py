"""Input validation for tasks: types, lengths and ranges. Who may be given a task, and
what a cancelled event allows, are rules in services.py."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.events.forms import FIRST_YEAR, LAST_YEAR
from webapp.tasks.models import NOTES_MAX, TITLE_MAX
from webapp.tasks.services import TaskDetails
from webapp.web.forms import id_coerce
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

OPEN = ""


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _within_calendar(form, field):
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class DueDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a date, such as 2026-12-05.")) from None


class TaskForm(FlaskForm):
    title = StringField(
        _l("What needs doing"),
        validators=[DataRequired(_l("Say what needs doing.")), Length(max=TITLE_MAX)],
        filters=[_strip],
    )
    notes = TextAreaField(
        _l("Notes"), validators=[Optional(), Length(max=NOTES_MAX)], filters=[_strip]
    )
    due_on = DueDateField(_l("Due"), validators=[Optional(), _within_calendar])
    assignee = SelectField(_l("Who"), choices=[], validate_choice=False)

    def offer(self, people):
        """The people a task can go to, and "open" first."""
        self.assignee.choices = [SelectChoice(OPEN, _("Open: anyone can take it"))] + [
            SelectChoice(str(person.id), person.name) for person in people
        ]

    def validate_assignee(self, field):
        if field.data in (None, OPEN):
            return
        try:
            id_coerce(field.data)
        except ValueError:
            raise ValidationError(_("Choose someone from the list.")) from None

    def details(self, assignee_allowed=True):
        assignee = self.assignee.data if assignee_allowed else OPEN
        return TaskDetails(
            title=self.title.data,
            notes=self.notes.data or "",
            due_on=self.due_on.data,
            assignee_id=int(assignee) if assignee not in (None, OPEN) else None,
        )


class TaskSettingsForm(FlaskForm):
    members_add = BooleanField(_l("Members of the group may add tasks too"))
