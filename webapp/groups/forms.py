"""Input validation for groups, members and invitations."""

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from webapp.groups.models import INVITABLE_ROLES, JoinPolicy, Role, Visibility
from webapp.web.forms import WholeNumberField, email_field, id_coerce
from webapp.web.translating import lazy_gettext as _l

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _choices(labels):
    return [SelectChoice(value, label) for value, label in labels.items()]


# The longer wording a form needs beside each choice; the short labels live on the enums.
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: anyone can find the group and see its page"),
    Visibility.PRIVATE: _l("Private: only members know it exists"),
}
JOIN_POLICY_LABELS = {
    JoinPolicy.OPEN: _l("Open: anyone can join at once"),
    JoinPolicy.APPROVAL: _l("Approval: organisers approve each request"),
    JoinPolicy.INVITATION: _l("Invitation only"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower_strip(value):
    return re.sub(r"\s+", "-", value.strip().lower()) if isinstance(value, str) else value


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the group a name.")), Length(max=100)],
        filters=[_strip],
    )
    slug = StringField(
        _l("Address"),
        validators=[
            Optional(),
            Length(min=2, max=60),
            Regexp(SLUG_PATTERN, message=_l("Use lower-case letters, digits and single hyphens.")),
        ],
        filters=[_lower_strip],
        description=_l("The end of the group's web address. Left empty, it is made from the name."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=5000)],
        filters=[_strip],
        description=_l("Markdown: **bold**, *italic*, [links](https://example.org), lists."),
    )
    visibility = RadioField(
        _l("Visibility"),
        choices=_choices(VISIBILITY_LABELS),
        default=Visibility.PUBLIC,
        validators=[DataRequired(_l("Choose who can see the group."))],
    )
    join_policy = RadioField(
        _l("Who can join"),
        choices=_choices(JOIN_POLICY_LABELS),
        default=JoinPolicy.OPEN,
        validators=[DataRequired(_l("Choose how people join."))],
    )
    announce_new_events = BooleanField(
        _l("Offer to announce each new event to the members"),
        description=_l("When an organiser publishes an event, “Announce it” starts ticked."),
    )
    allows_guests = BooleanField(
        _l("Let people without an account answer its events"),
        description=_l(
            "Public groups only. They give a name and an email address and confirm from a "
            "link; they take places as members do."
        ),
    )
    answers_kept_days = WholeNumberField(
        _l("Days the answers to events' questions are kept"),
        default=30,
        validators=[Optional(), NumberRange(1, 365, _l("From 1 to 365 days."))],
        description=_l("Counted from the end of each event; then the answers are deleted."),
    )


class InviteForm(FlaskForm):
    email = email_field(_l("Email address"))
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, role.label) for role in reversed(INVITABLE_ROLES)],
        default=Role.MEMBER,
    )
    message = TextAreaField(
        _l("Message (optional)"), validators=[Length(max=1000)], filters=[_strip]
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(role.value, role.label) for role in Role])


class DeleteGroupForm(FlaskForm):
    confirm_name = StringField(
        _l("Type the group's name to confirm"),
        validators=[DataRequired(_l("Type the group's name to confirm."))],
    )


class TransferForm(FlaskForm):
    new_owner = SelectField(_l("New owner"), coerce=id_coerce, validate_choice=True)
