"""Input validation for questions: one an organiser adds or changes; and the answers, a
field per question of the event's, made when the form is (questions differ per event)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webapp.events.questions.models import (
    ANSWER_LENGTH,
    CHOICE_LENGTH,
    MAX_CHOICES,
    QUESTION_LENGTH,
    QuestionKind,
    ShownTo,
)
from webapp.web.forms import CheckboxesField
from webapp.web.translating import gettext as _
from webapp.web.translating import lazy_gettext as _l


def _squeeze(value):
    return " ".join(value.split()) if value else value


def _strip(value):
    return value.strip() if value else value


def choice_lines(text):
    """The choices written one per line: squeezed, blank lines left out."""
    return [line for line in (_squeeze(line) for line in (text or "").splitlines()) if line]


class QuestionForm(FlaskForm):
    text = StringField(
        _l("Question"),
        validators=[DataRequired(_l("Write the question.")), Length(max=QUESTION_LENGTH)],
        filters=[_squeeze],
        description=_l("Asked of everyone who answers, on the event's page."),
    )
    kind = RadioField(
        _l("Answered with"),
        choices=[SelectChoice(value, label) for value, label in QuestionKind.choices()],
        default=QuestionKind.TEXT.value,
        # Left out (a form from before kinds): a short text.
        validators=[Optional()],
    )
    choices = TextAreaField(
        _l("Choices, one per line"),
        render_kw={"rows": 4},
        description=_l("For a question answered with a choice: two to eight."),
    )
    required = BooleanField(_l("People going or waiting must answer it"))
    shown_to = RadioField(
        _l("Who reads the answers"),
        choices=[SelectChoice(value, label) for value, label in ShownTo.choices()],
        default=ShownTo.ORGANISERS.value,
        # Left out: the organisers only, as before one could choose.
        validators=[Optional()],
    )

    def validate_choices(self, field):
        if self.kind.data not in (QuestionKind.ONE, QuestionKind.SEVERAL):
            return
        lines = choice_lines(field.data)
        if len(lines) < 2:
            raise ValidationError(_l("Write at least two choices, one per line."))
        if len(lines) > MAX_CHOICES:
            raise ValidationError(_("Write at most %(num)d choices.", num=MAX_CHOICES))
        if any(len(line) > CHOICE_LENGTH for line in lines):
            raise ValidationError(
                _("Each choice is at most %(num)d characters.", num=CHOICE_LENGTH)
            )
        if len({line.casefold() for line in lines}) < len(lines):
            raise ValidationError(_l("Each choice once: two lines say the same."))

    def question_values(self):
        """The question as written, as add_question and change_question take it (a text
        question's choices left out)."""
        kind = QuestionKind(self.kind.data)
        return {
            "text": self.text.data,
            "required": self.required.data,
            "kind": kind,
            "labels": [] if kind == QuestionKind.TEXT else choice_lines(self.choices.data),
            "shown_to": ShownTo(self.shown_to.data),
        }


def question_form(question, choices):
    """The form that changes question, showing it as it is (choices: its offered ones)."""
    form = QuestionForm(formdata=None, obj=question)
    form.kind.data = question.kind.value
    form.shown_to.data = question.shown_to.value
    form.choices.data = "\n".join(choice.label for choice in choices)
    return form


def field_name(question):
    return f"question-{question.id}"


def answers_form(questions, shown=None):
    """A form with a field question-<id> per question (questions: (question, its offered
    choices) pairs): reading the request's data, or, with shown ({question id: the text
    answered, or the choice ids chosen}), showing those answers."""

    class AnswersForm(FlaskForm):
        pass

    for question, choices in questions:
        hint = _l("Required of those going or waiting.") if question.required else ""
        offered = [SelectChoice(choice.id, choice.label) for choice in choices]
        if question.kind == QuestionKind.TEXT:
            field = TextAreaField(
                question.text,
                validators=[Length(max=ANSWER_LENGTH)],
                filters=[_strip],
                render_kw={"rows": 2},
                description=hint,
            )
        elif question.kind == QuestionKind.ONE:
            # Left unanswered is an answer until the rules say it is required.
            field = RadioField(
                question.text,
                choices=offered,
                coerce=int,
                validators=[Optional()],
                description=hint,
            )
        else:
            field = CheckboxesField(question.text, choices=offered, coerce=int, description=hint)
        setattr(AnswersForm, field_name(question), field)
    if shown is None:
        return AnswersForm()
    form = AnswersForm(formdata=None)
    for question, _choices in questions:
        given = shown.get(question.id)
        if question.kind == QuestionKind.ONE:
            given = given[0] if given else None
        elif question.kind == QuestionKind.SEVERAL:
            given = given or []
        else:
            given = given or ""
        form[field_name(question)].data = given
    return form
