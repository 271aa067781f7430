"""Input validation for signing up, logging in and recovering an account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import DataRequired

from webapp.accounts.forms import (
    first_name_field,
    known_time_zone,
    last_name_field,
    new_password_fields,
)
from webapp.web.forms import email_field
from webapp.web.translating import lazy_gettext as _l


class SignupForm(FlaskForm):
    email = email_field(_l("Email"))
    first_name = first_name_field()
    last_name = last_name_field()
    password, confirm = new_password_fields()
    # Filled by static/js/app.js from Intl.DateTimeFormat().resolvedOptions().timeZone.
    time_zone = HiddenField(filters=[known_time_zone], render_kw={"data-detect-time-zone": ""})


class LoginForm(FlaskForm):
    email = email_field(_l("Email"))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
