"""The admin's forms: searching lists and filtering the audit log (GET, no CSRF)."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from webapp.audit.models import AuditAction
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l
from webapp.web.translating import lazy_ngettext

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
        _l("Search"),
        validators=[
            Optional(),
            Length(
                max=MAX_QUERY,
                message=lazy_ngettext(
                    "At most %(num)d character.", "At most %(num)d characters.", MAX_QUERY
                ),
            ),
        ],
        filters=[lambda value: value.strip() if value else ""],
    )


class AuditFilterForm(GetForm):
    actor = StringField(
        _l("Who (email address)"),
        validators=[Optional(), Length(max=320)],
        filters=[lambda value: value.strip() if value else ""],
    )
    action = SelectField(
        _l("What"),
        choices=[
            SelectChoice("", _l("Any action")),
            *(SelectChoice(action.value, action.label) for action in AuditAction),
        ],
        default="",
    )
    group = StringField(
        _l("Group (its address)"),
        validators=[Optional(), Length(max=80)],
        filters=[lambda value: value.strip() if value else ""],
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To (included)"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end comes before the start."))
