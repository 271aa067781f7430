"""The answer form: what was sent, checked for shape only (the rules are in services.py)."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from webapp.events.rsvp.services import CHOICES
from webapp.web.forms import WholeNumberField
from webapp.web.translating import lazy_gettext as _l


class AnswerForm(FlaskForm):
    # The buttons carry the answer (name="answer"); the guests select rides along.
    answer = SelectField(
        _l("Your answer"),
        choices=[SelectChoice(choice.value, choice.label) for choice in CHOICES],
        validators=[InputRequired(_l("Choose going, maybe or not going."))],
    )
    guests = WholeNumberField(
        _l("Guests"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Guests cannot be fewer than none.")),
        ],
    )
