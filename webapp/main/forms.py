"""Input validation for the footer's choice of language."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import ValidationError

from webapp.web.languages import language_choices
from webapp.web.translating import lazy_gettext as _l

# The longest page address taken back to; longer ones lead home.
MAX_NEXT = 2000


def offered_language(form, field):
    if field.data not in dict(language_choices()):
        raise ValidationError(_l("Choose one of the languages offered."))


class LanguageForm(FlaskForm):
    # One button per language posts its code; checked with our message, not WTForms'.
    language = SelectField(
        _l("Language"),
        choices=language_choices,
        validate_choice=False,
        validators=[offered_language],
    )
    next = HiddenField(filters=[lambda value: (value or "")[:MAX_NEXT]])
