"""Input validation for signing up, logging in and recovering an account."""

import zoneinfo
from functools import cache

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from webapp.accounts.passwords import password_problems
from webapp.forms import email_field


def strong_password(form, field):
    user_inputs = [
        getattr(form, name).data
        for name in ("email", "first_name", "last_name")
        if hasattr(form, name)
    ]
    problems = password_problems(field.data or "", user_inputs)
    if problems:
        raise ValidationError(" ".join(problems))


def new_password_fields():
    password = PasswordField(
        "Password",
        validators=[DataRequired("Choose a password."), strong_password],
        render_kw={"autocomplete": "new-password"},
        description="At least 8 characters, with upper and lower case, a digit and a "
        "special character.",
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def name_field(label, autocomplete):
    return StringField(
        label,
        validators=[DataRequired(f"Enter your {label.lower()}."), Length(max=100)],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": autocomplete},
    )


@cache
def _time_zones():
    # The names the settings page offers: regions and UTC, no legacy aliases.
    return frozenset(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def known_time_zone(value):
    """The browser's guess if it is a zone we know, else UTC (also without JavaScript)."""
    return value if value in _time_zones() else "UTC"


class SignupForm(FlaskForm):
    email = email_field()
    first_name = name_field("First name", "given-name")
    last_name = name_field("Last name", "family-name")
    password, confirm = new_password_fields()
    # Filled by static/js/app.js from Intl.DateTimeFormat().resolvedOptions().timeZone.
    time_zone = HiddenField(filters=[known_time_zone], render_kw={"data-detect-time-zone": ""})


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


class EmailOnlyForm(FlaskForm):
    """Resend a verification link, or ask for a password reset."""

    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
