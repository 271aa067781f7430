"""The admin's forms: searching lists and filtering the audit log (GET, no CSRF)."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from webapp.audit.models import AuditAction

MAX_QUERY = 100


class GetForm(FlaskForm):
    """A form read from the query string: a search or a filter changes nothing."""

    class Meta:
        csrf = False

    def __init__(self, formdata=None, **kwargs):
        from flask import request

        super().__init__(formdata=request.args if formdata is None else formdata, **kwargs)


class SearchForm(GetForm):
    q = StringField(
        "Search",
        validators=[Optional(), Length(max=MAX_QUERY, message=f"At most {MAX_QUERY} characters.")],
        filters=[lambda value: value.strip() if value else ""],
    )


class AuditFilterForm(GetForm):
    actor = StringField(
        "Who (email address)",
        validators=[Optional(), Length(max=320)],
        filters=[lambda value: value.strip() if value else ""],
    )
    action = SelectField(
        "What",
        choices=[
            SelectChoice("", "Any action"),
            *(SelectChoice(action.value, action.label) for action in AuditAction),
        ],
        default="",
    )
    group = StringField(
        "Group (its address)",
        validators=[Optional(), Length(max=80)],
        filters=[lambda value: value.strip() if value else ""],
    )
    since = DateField("From", validators=[Optional()])
    until = DateField("To (included)", validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end comes before the start.")
