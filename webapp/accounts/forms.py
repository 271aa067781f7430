"""Input validation for the settings page."""

import zoneinfo
from functools import cache

from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from webapp.accounts.models import APPEARANCES
from webapp.accounts.passwords import PASSWORD_HINT, password_problems
from webapp.web.forms import LongListSelect, SectionForm, email_field
from webapp.web.languages import language_choices
from webapp.web.translating import lazy_gettext as _l


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
        _l("Password"),
        validators=[DataRequired(_l("Choose a password.")), strong_password],
        render_kw={"autocomplete": "new-password"},
        description=PASSWORD_HINT,
    )
    confirm = PasswordField(
        _l("Confirm password"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def name_field(label, missing, autocomplete):
    """A name's field: label, and the message (missing) when it is left empty."""
    return StringField(
        label,
        validators=[DataRequired(missing), Length(max=100)],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": autocomplete},
    )


APPEARANCE_LABELS = {
    "system": _l("Follow the system"),
    # TRANSLATORS: the appearance (colour theme) of the pages.
    "light": _l("Light"),
    # TRANSLATORS: the appearance (colour theme) of the pages.
    "dark": _l("Dark"),
}


def first_name_field():
    return name_field(_l("First name"), _l("Enter your first name."), "given-name")


def last_name_field():
    return name_field(_l("Last name"), _l("Enter your last name."), "family-name")


@cache
def time_zone_names():
    """Regions and UTC, without the legacy aliases zoneinfo also knows."""
    return tuple(sorted(n for n in zoneinfo.available_timezones() if "/" in n or n == "UTC"))


@cache
def time_zone_choices():
    return [SelectChoice(name, name.replace("_", " ")) for name in time_zone_names()]


def known_time_zone(value):
    """A zone we offer, or UTC: a browser's guess (or no JavaScript) never stores junk."""
    return value if value in frozenset(time_zone_names()) else "UTC"


def language_setting_choices():
    """Each language in its own name, after the choice of none: the browser's."""
    return [SelectChoice("", _l("The language of my browser"))] + [
        SelectChoice(code, name) for code, name in language_choices()
    ]


def offered_language(form, field):
    field.data = field.data or None
    if field.data is not None and field.data not in dict(language_choices()):
        raise ValidationError(_l("Choose one of the languages offered."))


class ProfileForm(SectionForm):
    section = "profile"
    first_name = first_name_field()
    last_name = last_name_field()
    time_zone = SelectField(
        _l("Time zone"),
        choices=time_zone_choices,
        widget=LongListSelect(time_zone_choices),
        validators=[DataRequired(_l("Choose a time zone."))],
        # Always one zone chosen (the person's): no empty first choice, so not "required",
        # which asks for one.
        render_kw={"required": False},
    )
    appearance = RadioField(
        _l("Appearance"),
        choices=[SelectChoice(value, APPEARANCE_LABELS[value]) for value in APPEARANCES],
        validators=[DataRequired(_l("Choose an appearance."))],
    )
    email_notifications = BooleanField(_l("Email me about my groups and events"))
    # Checked by offered_language with its own message, not WTForms' "Not a valid choice";
    # left out (as by an older page), it means the browser's language.
    language = SelectField(
        _l("Language"),
        choices=language_setting_choices,
        validate_choice=False,
        validators=[offered_language],
        description=_l("Pages and the email Hearth sends you are written in this language."),
    )


def current_password_field():
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(SectionForm):
    section = "password"
    current_password = current_password_field()
    password, confirm = new_password_fields()


class ChangeEmailForm(SectionForm):
    section = "email"
    email = email_field(_l("New email address"))
    current_password = current_password_field()
