"""Input validation for signing up, logging in and recovering an account."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
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


class EmailOnlyForm(FlaskForm):
    """Resend a verification link, or ask for a password reset."""

    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
