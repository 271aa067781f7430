"""The organisers' page of an event's questions: each with the answers given so far (a
choice question's counted per choice), a form to add one, Change (a page of its own) and
Delete (its answers go with it)."""

from collections import Counter

import sqlalchemy as sa
from flask import abort, flash, g, redirect, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.questions import manage
from webapp.events.questions.forms import QuestionForm, question_form
from webapp.events.questions.models import (
    MAX_QUESTIONS,
    EventQuestion,
    QuestionAnswer,
    QuestionKind,
)
from webapp.events.questions.queries import answers_by_question, choices_of, offered, questions_of
from webapp.events.questions.services import add_question, change_question, delete_question
from webapp.extensions import db
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.translating import gettext as _


def page_url(event):
    return url_for("events.questions.page", event_id=event.id)


def page_context(event, form=None):
    questions = questions_of(event)
    choices = choices_of(questions)
    return {
        "event": event,
        "questions": questions,
        "answers": answers_by_question(event) if questions else {},
        "tallies": _tallies(questions, choices),
        "form": form or QuestionForm(formdata=None),
        "delete_form": EmptyForm(),
        "room_left": MAX_QUESTIONS - len(questions),
        "kept_days": event.group.answers_kept_days,
    }


def _tallies(questions, choices):
    """{question id: [(choice, how many chose it)]} of the choice questions, retired
    choices only while somebody's answer names them."""
    ids = [question.id for question in questions if question.kind != QuestionKind.TEXT]
    if not ids:
        return {}
    counts = Counter()
    for question_id, chosen in db.session.execute(
        sa.select(QuestionAnswer.question_id, QuestionAnswer.choices).where(
            QuestionAnswer.question_id.in_(ids)
        )
    ):
        counts.update((question_id, choice_id) for choice_id in chosen or ())
    return {
        question_id: [
            (choice, counts[question_id, choice.id])
            for choice in choices[question_id]
            if not choice.retired or counts[question_id, choice.id]
        ]
        for question_id in ids
    }


@manage.route("", methods=["GET", "POST"])
def page():
    """GET: the questions and their answers. POST: a new question; 422 beside the field
    when it cannot be added."""
    event, form = g.event, QuestionForm()
    status = 200
    if form.is_submitted():
        if form.validate_on_submit():
            try:
                question = add_question(current_user, event, **form.question_values())
            except RuleError as error:
                refuse(error, form)
            else:
                flash(_("The question “%(text)s” is added.", text=question.text), "success")
                if not wants_fragment():
                    return redirect(page_url(event), 303)
                form = None
        status = 422 if form is not None and form.errors else 200
    else:
        form = None
    return render(
        "events/questions/manage.html",
        "events/questions/_manage.html",
        status=status,
        **page_context(event, form),
    )


@manage.route("/<int:question_id>/edit", methods=["GET", "POST"])
def edit(question_id):
    """GET: the question in its form. POST: the change, kept; 422 beside the field when
    it cannot be (its kind, once answered)."""
    event = g.event
    question = db.session.get(EventQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    form = QuestionForm()
    if not form.is_submitted():
        form = question_form(question, offered(choices_of([question])[question.id]))
    elif form.validate_on_submit():
        try:
            changed = change_question(current_user, event, question.id, **form.question_values())
        except RuleError as error:
            refuse(error, form)
        else:
            if changed is not None:
                flash(_("The question “%(text)s” is saved.", text=changed.text), "success")
            return redirect_to(page_url(event))
    return render_form(
        "events/questions/edit.html",
        "events/questions/_edit.html",
        form,
        event=event,
        question=question,
    )


@manage.post("/<int:question_id>/delete")
def delete(question_id):
    """Delete a question and its answers."""
    event = g.event
    if EmptyForm().validate_on_submit():
        deleted = delete_question(current_user, event, question_id)
        if deleted is None:
            flash(_("That question was deleted already."), "info")
        else:
            flash(_("The question “%(text)s” is deleted.", text=deleted.text), "success")
    if not wants_fragment():
        return redirect(page_url(event), 303)
    return render(
        "events/questions/manage.html", "events/questions/_manage.html", **page_context(event)
    )
