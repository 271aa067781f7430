"""Input validation for signing up, logging in and recovering an account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import DataRequired

from webapp.accounts.forms import known_time_zone, name_field, new_password_fields
from webapp.web.forms import email_field


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


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
