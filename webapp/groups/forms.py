"""Input validation for groups, members and invitations."""

import re

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.groups.models import INVITABLE_ROLES, JoinPolicy, Role, Visibility
from webapp.web.forms import email_field, id_coerce

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _choices(labels):
    return [SelectChoice(value, label) for value, label in labels.items()]


# The longer wording a form needs beside each choice; the short labels live on the enums.
VISIBILITY_LABELS = {
    Visibility.PUBLIC: "Public: anyone can find the group and see its page",
    Visibility.PRIVATE: "Private: only members know it exists",
}
JOIN_POLICY_LABELS = {
    JoinPolicy.OPEN: "Open: anyone can join at once",
    JoinPolicy.APPROVAL: "Approval: organisers approve each request",
    JoinPolicy.INVITATION: "Invitation only",
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower_strip(value):
    return re.sub(r"\s+", "-", value.strip().lower()) if isinstance(value, str) else value


class GroupForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired("Give the group a name."), Length(max=100)],
        filters=[_strip],
    )
    slug = StringField(
        "Address",
        validators=[
            Optional(),
            Length(min=2, max=60),
            Regexp(SLUG_PATTERN, message="Use lower-case letters, digits and single hyphens."),
        ],
        filters=[_lower_strip],
        description="The end of the group's web address. Left empty, it is made from the name.",
    )
    description = TextAreaField(
        "Description",
        validators=[Length(max=5000)],
        filters=[_strip],
        description="Markdown: **bold**, *italic*, [links](https://example.org), lists.",
    )
    visibility = RadioField(
        "Visibility",
        choices=_choices(VISIBILITY_LABELS),
        default=Visibility.PUBLIC,
        validators=[DataRequired("Choose who can see the group.")],
    )
    join_policy = RadioField(
        "Who can join",
        choices=_choices(JOIN_POLICY_LABELS),
        default=JoinPolicy.OPEN,
        validators=[DataRequired("Choose how people join.")],
    )


class InviteForm(FlaskForm):
    email = email_field("Email address")
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.label) for role in reversed(INVITABLE_ROLES)],
        default=Role.MEMBER,
    )
    message = TextAreaField("Message (optional)", validators=[Length(max=1000)], filters=[_strip])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(role.value, role.label) for role in Role])


class DeleteGroupForm(FlaskForm):
    confirm_name = StringField(
        "Type the group's name to confirm",
        validators=[DataRequired("Type the group's name to confirm.")],
    )


class TransferForm(FlaskForm):
    new_owner = SelectField("New owner", coerce=id_coerce, validate_choice=True)
