"""Input validation for feedback: a rating from 1 to 5 and a comment of bounded length."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webapp.feedback.models import COMMENT_MAX
from webapp.web.translating import lazy_gettext as _l

RATING_LABELS = {
    5: _l("5 — excellent"),
    4: _l("4 — good"),
    3: _l("3 — fine"),
    2: _l("2 — not great"),
    1: _l("1 — poor"),
}


def _rating(value):
    if value in (None, ""):
        return None
    return int(value)


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("How was it?"),
        choices=[SelectChoice(value, label) for value, label in RATING_LABELS.items()],
        coerce=_rating,
        validators=[InputRequired(_l("Choose a rating from 1 to 5."))],
        validate_choice=True,
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=COMMENT_MAX)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description=_l("Optional. The organisers see it, with your name."),
    )
