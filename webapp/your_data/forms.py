"""Input validation for deleting one's account."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from webapp.web.translating import lazy_gettext as _l


class DeleteAccountForm(FlaskForm):
    """Deleting one's account asks for the password: a stolen open session is not enough."""

    password = PasswordField(
        _l("Your password"),
        validators=[
            DataRequired(_l("Enter your password to delete your account.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "current-password"},
    )
