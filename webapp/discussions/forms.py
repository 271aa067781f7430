"""Input validation for talk: a comment's words (lengths); who may write where, and the
edit window, are rules in access.py and services.py."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.discussions.models import BODY_MAX, TITLE_MAX
from webapp.web.translating import lazy_gettext as _l


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        filters=[_strip],
        validators=[DataRequired(_l("Write something first.")), Length(max=BODY_MAX)],
        description=_l("Markdown works. Name a member with @ and their name, as @ana-ruiz."),
    )


class ReplyForm(CommentForm):
    body = TextAreaField(
        _l("Your reply"),
        filters=[_strip],
        validators=[DataRequired(_l("Write something first.")), Length(max=BODY_MAX)],
    )


class DiscussionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the discussion a title.")), Length(max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("What would you like to talk about?"),
        filters=[_strip],
        validators=[DataRequired(_l("Write something first.")), Length(max=BODY_MAX)],
        description=_l("Markdown works. Name a member with @ and their name, as @ana-ruiz."),
    )
