"""The digest's section of the settings: how often, and which of one's groups it covers."""

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from webapp.digest.models import Frequency
from webapp.web.forms import CheckboxesField, SectionForm
from webapp.web.translating import lazy_gettext as _l

# How someone hears of new comments in the threads they follow.
EMAIL, DIGEST = "email", "digest"


class DigestForm(SectionForm):
    section = "digest"
    frequency = RadioField(
        _l("Send me a digest"),
        choices=[SelectChoice(value, label) for value, label in Frequency.choices()],
        validators=[InputRequired(_l("Choose how often."))],
    )
    groups = CheckboxesField(
        _l("Groups it covers"),
        coerce=int,
        description=_l("Events, polls, tasks and announcements of the groups ticked."),
    )

    talk = RadioField(
        _l("New comments in threads I follow"),
        choices=[
            SelectChoice(EMAIL, _l("By email, at most one an hour for each thread")),
            SelectChoice(DIGEST, _l("In my digest")),
        ],
        default=EMAIL,
        # Left out (a form from before the choice): by email, as ever.
        validators=[Optional()],
    )

    def validate_talk(self, field):
        if field.data == DIGEST and self.frequency.data == Frequency.OFF.value:
            raise ValidationError(_l("Turn the digest on to have comments in it."))

    def offer_groups(self, groups):
        self.groups.choices = [SelectChoice(group.id, group.name) for group in groups]
        return self
