"""The digest's section of the settings: how often, and which of one's groups it covers."""

from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from webapp.digest.models import Frequency
from webapp.web.forms import CheckboxesField, SectionForm
from webapp.web.translating import lazy_gettext as _l


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

    def offer_groups(self, groups):
        self.groups.choices = [SelectChoice(group.id, group.name) for group in groups]
        return self
