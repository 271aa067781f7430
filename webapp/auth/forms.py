"""Input validation for signing up, logging in and recovering an account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from webapp.accounts.forms import name_field, new_password_fields
from webapp.forms import email_field


class SignupForm(FlaskForm):
    email = email_field()
    first_name = name_field("First name", "given-name")
    last_name = name_field("Last name", "family-name")
    password, confirm = new_password_fields()


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
