"""Input validation for questions: one an organiser adds; and the answers, a field per
question of the event's, made when the form is (questions differ per event)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.events.questions.models import ANSWER_LENGTH, QUESTION_LENGTH
from webapp.web.translating import lazy_gettext as _l


def _squeeze(value):
    return " ".join(value.split()) if value else value


def _strip(value):
    return value.strip() if value else value


class QuestionForm(FlaskForm):
    text = StringField(
        _l("Question"),
        validators=[DataRequired(_l("Write the question.")), Length(max=QUESTION_LENGTH)],
        filters=[_squeeze],
        description=_l("Asked of everyone who answers, on the event's page."),
    )
    required = BooleanField(
        _l("People going must answer it"),
    )


def answers_form(questions, shown=None):
    """A form with a field question-<id> per question: reading the request's data, or,
    with shown ({question id: text}), showing those answers."""

    class AnswersForm(FlaskForm):
        pass

    for question in questions:
        field = TextAreaField(
            question.text,
            validators=[Length(max=ANSWER_LENGTH)],
            filters=[_strip],
            render_kw={"rows": 2},
            description=_l("Required of those going.") if question.required else "",
        )
        setattr(AnswersForm, f"question-{question.id}", field)
    if shown is None:
        return AnswersForm()
    form = AnswersForm(formdata=None)
    for question in questions:
        form[f"question-{question.id}"].data = shown.get(question.id, "")
    return form
