"""Input validation for reports: a reason from the list and a detail of bounded length.
Who may report what, and "once each", are rules in services.py."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from webapp.reports.models import DETAIL_MAX, ReportReason
from webapp.reports.services import ReportDetails
from webapp.web.translating import lazy_gettext as _l


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong?"),
        choices=[SelectChoice(value, label) for value, label in ReportReason.choices()],
        validators=[InputRequired(_l("Choose a reason."))],
    )
    detail = TextAreaField(
        _l("Anything the organisers should know"),
        validators=[Optional(), Length(max=DETAIL_MAX)],
        filters=[_strip],
        description=_l(
            "Optional, unless you chose “Something else”. Only those who decide reports read it."
        ),
    )

    def details(self):
        return ReportDetails(reason=self.reason.data, detail=self.detail.data or "")
