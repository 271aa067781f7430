"""Input validation for naming a co-host: one member, by id, from the list offered."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import ValidationError

from webapp.web.forms import id_coerce
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


class CohostForm(FlaskForm):
    # The list is the members who could be named now: what is sent may have left the
    # list since (a co-host named by someone else, a member who left), which the rule
    # says beside the field, so any id is taken here.
    member = SelectField(_l("Member"), choices=[], validate_choice=False)

    def offer(self, people):
        """The members who could co-host, after a choice that names nobody."""
        self.member.choices = [SelectChoice("", _("Choose a member"))] + [
            SelectChoice(str(person.id), f"{person.name} ({person.email})") for person in people
        ]

    def validate_member(self, field):
        try:
            id_coerce(field.data or "")
        except ValueError:
            raise ValidationError(_("Choose a member of the group.")) from None

    def user_id(self):
        return int(self.member.data)
