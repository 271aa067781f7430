"""Input validation for polls: types, lengths and ranges. The rules about options, choices
and times (two options at least, a closing time ahead, slots that end after they start)
live in services.py and voting.py, which name the field they refuse.

The new-poll form grows and shrinks its list of options with buttons named edit_options
("add", or "remove-3"): with htmx the form swaps itself with one row more or less, and
without JavaScript the same buttons post the form and it comes back the same way.
"""

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from webapp.accounts.forms import time_zone_choices
from webapp.events.forms import LocalTimeField, _known_zone, _within_calendar
from webapp.polls.models import PollChoice, PollKind, ResultsShown
from webapp.polls.options import MAX_OPTIONS
from webapp.polls.services import PollDetails
from webapp.web.forms import LongListSelect, SectionForm, WholeNumberField, id_coerce
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l

ADD_ROW, REMOVE_ROW = "add", "remove-"
SLOT_FIELD = "slot-"


def _choices(labelled):
    return [SelectChoice(member.value, member.label) for member in labelled]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def editing_rows():
    """The new-poll form came back for a row more or less, not to be saved: for the rate
    limit, which counts polls made, not clicks on Add an option."""
    return bool(request.form.get("edit_options"))


class SlotForm(Form):
    """One slot of a date poll; a row left empty is dropped."""

    starts_at = LocalTimeField(_l("Starts"), validators=[Optional(), _within_calendar])
    ends_at = LocalTimeField(_l("Ends"), validators=[Optional(), _within_calendar])

    def validate_ends_at(self, field):
        if (self.starts_at.data is None) != (field.data is None):
            raise ValidationError(_("Give both the start and the end of the slot."))


class PollForm(FlaskForm):
    kind = HiddenField(default=PollKind.PLAIN.value, validators=[AnyOf(PollKind.values())])
    question = StringField(
        _l("Question"),
        validators=[DataRequired(_l("Ask a question.")), Length(max=200)],
        filters=[_strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=10_000)],
        filters=[_strip],
        description=_l(
            "Optional. Markdown: **bold**, *italic*, [links](https://example.org), lists."
        ),
    )
    options = FieldList(
        StringField(_l("Option"), validators=[Length(max=200)], filters=[_strip]),
        min_entries=2,
        max_entries=MAX_OPTIONS,
    )
    slots = FieldList(FormField(SlotForm), min_entries=2, max_entries=MAX_OPTIONS)
    choice = RadioField(
        _l("Members choose"), choices=_choices(PollChoice), default=PollChoice.SINGLE.value
    )
    max_choices = WholeNumberField(
        _l("At most this many choices"),
        # NumberRange fills in its min and max.
        validators=[Optional(), NumberRange(1, MAX_OPTIONS, _l("From %(min)s to %(max)s."))],
        description=_l("With several choices. Empty: as many as there are options."),
    )
    results_shown = RadioField(
        _l("Who sees the results"),
        choices=_choices(ResultsShown),
        default=ResultsShown.AT_ONCE.value,
        description=_l("Organisers always see them."),
    )
    closes_at = LocalTimeField(
        _l("Closes"),
        validators=[Optional(), _within_calendar],
        description=_l("Optional: votes stop then. You can also close the poll by hand."),
    )
    time_zone = SelectField(
        _l("Time zone"),
        choices=time_zone_choices,
        widget=LongListSelect(time_zone_choices),
        validate_choice=False,
        validators=[_known_zone],
        description=_l(
            "The closing time (and a date poll's slots) are read on this zone's clocks."
        ),
    )

    @property
    def is_date_poll(self):
        return self.kind.data == PollKind.DATE

    def edit_rows(self):
        """Add or remove a row of options when a row button was pressed; True if one was."""
        action = request.form.get("edit_options", "") if editing_rows() else ""
        rows = self.slots if self.is_date_poll else self.options
        if action == ADD_ROW:
            if len(rows) < MAX_OPTIONS:
                rows.append_entry()
            return True
        if action.startswith(REMOVE_ROW):
            kept = [entry.data for entry in rows.entries]
            index = action.removeprefix(REMOVE_ROW)
            if index.isdigit() and int(index) < len(kept):
                del kept[int(index)]
            rows.entries, rows.last_index = [], -1
            for data in kept:
                rows.append_entry(data)
            return True
        return False

    def details(self):
        """What was typed, for the services (which convert the times and check the rules)."""
        return PollDetails(
            question=self.question.data,
            description=self.description.data or "",
            kind=self.kind.data,
            choice=self.choice.data,
            max_choices=self.max_choices.data,
            results_shown=self.results_shown.data,
            time_zone=self.time_zone.data,
            closes_at=self.closes_at.data,
            labels=[entry.data for entry in self.options.entries],
            slots=[
                (slot.starts_at.data, slot.ends_at.data)
                for slot in self.slots.entries
                if slot.starts_at.data is not None
            ],
        )


class VoteForm(FlaskForm):
    """A plain poll's ticked options (option=<id>, once or more), or a date poll's answer
    per slot (slot-<id>=yes|if_need_be|no)."""

    option = SelectMultipleField(_l("Your vote"), coerce=id_coerce, validate_choice=False)
    slot_answers: dict

    def validate_option(self, field):
        """Reads the slot-<id> fields too, into slot_answers ({option_id: answer})."""
        self.slot_answers = {}
        for name, value in request.form.items():
            if name.startswith(SLOT_FIELD):
                try:
                    self.slot_answers[id_coerce(name.removeprefix(SLOT_FIELD))] = value
                except ValueError:
                    raise ValidationError(_("That slot is not in this poll.")) from None


class OptionForm(SectionForm):
    """One more option for a poll that exists: a label, or a date poll's slot."""

    section = "new_option"
    label = StringField(_l("New option"), validators=[Length(max=200)], filters=[_strip])
    starts_at = LocalTimeField(_l("Starts"), validators=[Optional(), _within_calendar])
    ends_at = LocalTimeField(_l("Ends"), validators=[Optional(), _within_calendar])


class NewEventForm(FlaskForm):
    """The title of the event a group's date poll makes of its slot (the rest is added on
    the event's edit page)."""

    title = StringField(
        _l("The event's title"),
        validators=[DataRequired(_l("Give the event a title.")), Length(max=150)],
        filters=[_strip],
    )
