"""Input validation at the door: a walk-in, added by name (an address if they gave one)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from webapp.web.forms import optional_email_field
from webapp.web.translating import lazy_gettext as _l


class WalkInForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter their name.")), Length(max=100)],
        filters=[lambda value: " ".join(value.split()) if value else value],
    )
    email = optional_email_field(_l("Email address (if they give one)"))
    takes_place = BooleanField(
        _l("Takes one of the event's places"),
        description=_l("Leave it unticked when they do not count against the capacity."),
    )
