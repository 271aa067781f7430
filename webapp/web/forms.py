"""Form pieces shared by every feature."""

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import EmailField, IntegerField, SelectMultipleField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from webapp.web.converters import MAX_ID
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for buttons that POST."""


def _valid_email(form, field):
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized
    except EmailNotValidError as error:
        # TRANSLATORS: reason is the address checker's own explanation, in English.
        raise ValidationError(
            _("Enter a valid email address. %(reason)s", reason=str(error))
        ) from None


def email_field(label=None):
    return EmailField(
        _l("Email") if label is None else label,
        validators=[DataRequired(_l("Enter your email address.")), Length(max=320), _valid_email],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "email"},
    )


# More digits than any number a form takes: NumberRange compares as a float, which a
# number of some three hundred digits overflows (a 500 instead of a message).
MAX_DIGITS = 18


class WholeNumberField(IntegerField):
    """An integer field whose complaint about a non-number, or a number past any range,
    is in the page's language."""

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(_("That number is far too big."))
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None


def optional_email_field(label):
    """An email address one may leave out (someone who gave none)."""
    return EmailField(
        label,
        validators=[Optional(), Length(max=254), _valid_email],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "off"},
    )


# A line break in an address that ends up in a header, a calendar file or a link could
# start a line of its own (a header, a property): no control character gets in.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _web_address(form, field):
    if CONTROL_CHARACTERS.search(field.data or ""):
        raise ValidationError(
            _("A web address cannot hold line breaks, tabs or other control characters.")
        )
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("Use a web address that starts with https:// (or http://)."))


def web_address_field(label, max_length=500, **kwargs):
    """An optional http(s) address, one line long: every field that takes a URL."""
    return URLField(
        label,
        validators=[Optional(), Length(max=max_length), _web_address],
        filters=[lambda value: value.strip() if value else value],
        **kwargs,
    )


class SectionForm(FlaskForm):
    """A form that shares its page with others: its field names and ids carry a prefix."""

    section = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.section)
        super().__init__(*args, **kwargs)


class CheckboxesField(SelectMultipleField):
    """Several choices, each a checkbox (a <select multiple> is hard to use by touch)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EmailOnlyForm(FlaskForm):
    """Resend a verification link, or ask for a password reset."""

    email = email_field()


def id_coerce(value):
    """coerce= for a field that names a row by id: an int in 1..MAX_ID, or a ValueError,
    which WTForms shows beside the field. A bigger number would fail in PostgreSQL."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{value} is not an id")
    return number


class LongListSelect(Select):
    """A select of a long list that is the same on every page (the time zones, some four
    hundred of them), its labels in no particular language: the options are rendered once,
    and a page marks only the chosen one. Through WTForms, option by option, they cost
    more than the rest of a form's page. The markup is WTForms' own, to the character.

    choices: a function giving the list, the same each time (cached).
    """

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self._options = None

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        if self._options is None:
            self._options = "".join(
                f'<option value="{escape(choice.value)}">{escape(choice.label or choice.value)}'
                "</option>"
                for choice in self.choices()
            )
        options = self._options
        if field.data is not None:
            value = escape(str(field.data))
            options = options.replace(
                f'<option value="{value}">', f'<option selected value="{value}">', 1
            )
        # Every value and label in it was escaped above, the attributes by html_params.
        select = f"<select {html_params(name=field.name, **kwargs)}>{options}</select>"
        # nosemgrep: markup-of-a-variable
        return Markup(select)  # noqa: S704  # nosec B704
