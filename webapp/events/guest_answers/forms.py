"""What a guest sends: checked for shape only (the rules are in services.py)."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webapp.events.rsvp.models import Answer
from webapp.web.forms import WholeNumberField, email_field
from webapp.web.translating import lazy_gettext as _l

# A guest says they come or might; not coming needs no answer until they have one.
GUEST_CHOICES = (Answer.GOING, Answer.MAYBE)


class GuestAnswerForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=100)],
        # One line: a name shows in lists, a CSV and email greetings.
        filters=[lambda value: " ".join(value.split()) if value else value],
        render_kw={"autocomplete": "name"},
        description=_l("The organisers and the people going see it."),
    )
    email = email_field(_l("Your email address"))
    answer = RadioField(
        _l("Your answer"),
        choices=[SelectChoice(choice.value, choice.label) for choice in GUEST_CHOICES],
        default=Answer.GOING.value,
        validators=[InputRequired(_l("Choose going or maybe."))],
    )
    guests = WholeNumberField(
        _l("Guests you bring"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("Guests cannot be fewer than none.")),
        ],
    )
