"""Input validation for the settings page."""

import zoneinfo
from functools import cache

from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired

from webapp.accounts.models import APPEARANCES
from webapp.auth.forms import name_field, new_password_fields
from webapp.forms import SectionForm, email_field

APPEARANCE_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


@cache
def time_zone_choices():
    return [
        SelectChoice(name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name or name == "UTC"
    ]


class ProfileForm(SectionForm):
    section = "profile"
    first_name = name_field("First name", "given-name")
    last_name = name_field("Last name", "family-name")
    time_zone = SelectField(
        "Time zone", choices=time_zone_choices, validators=[DataRequired("Choose a time zone.")]
    )
    appearance = RadioField(
        "Appearance",
        choices=[SelectChoice(value, APPEARANCE_LABELS[value]) for value in APPEARANCES],
        validators=[DataRequired("Choose an appearance.")],
    )
    email_notifications = BooleanField("Email me about my groups and events")


def current_password_field():
    return PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(SectionForm):
    section = "password"
    current_password = current_password_field()
    password, confirm = new_password_fields()


class ChangeEmailForm(SectionForm):
    section = "email"
    email = email_field("New email address")
    current_password = current_password_field()
