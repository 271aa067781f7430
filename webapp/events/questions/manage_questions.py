"""The organisers' page of an event's questions: each with the answers given so far, a
form to add one, and Delete (its answers go with it)."""

from flask import flash, g, redirect, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.questions import manage
from webapp.events.questions.forms import QuestionForm
from webapp.events.questions.models import MAX_QUESTIONS
from webapp.events.questions.queries import answers_by_question, questions_of
from webapp.events.questions.services import add_question, delete_question
from webapp.web.forms import EmptyForm
from webapp.web.htmx import render, wants_fragment
from webapp.web.translating import gettext as _


def page_url(event):
    return url_for("events.questions.page", event_id=event.id)


def page_context(event, form=None):
    questions = questions_of(event)
    return {
        "event": event,
        "questions": questions,
        "answers": answers_by_question(event) if questions else {},
        "form": form or QuestionForm(formdata=None),
        "delete_form": EmptyForm(),
        "room_left": MAX_QUESTIONS - len(questions),
        "kept_days": event.group.answers_kept_days,
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
                question = add_question(current_user, event, form.text.data, form.required.data)
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
