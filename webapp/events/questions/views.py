"""Answering an event's questions: on the event's page (a section under the RSVP panel,
once one has answered) and on a page of its own that the panel links to; the form swaps
in place with htmx and posts back to the event without JavaScript."""

from flask import flash, redirect, request
from flask_login import current_user, login_required

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import event_url, get_event, may_answer
from webapp.events.questions import bp
from webapp.events.questions.forms import answers_form, field_name
from webapp.events.questions.models import QuestionKind
from webapp.events.questions.queries import asked_of
from webapp.events.questions.services import ANSWERING, answer_value, save_answers
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.translating import gettext as _


def questions_context(event, mine):
    """The event page's questions section, for someone whose answer (mine: their RSVP
    row, or None) is going, waiting or maybe; none to ask until the event has a
    question."""
    if not event.has_questions or mine is None or mine.answer not in ANSWERING:
        return {"question_section": None}
    return {"question_section": section_for(event)}


def section_for(event, form=None, asked=None, person=None, action=None):
    """The section's questions and form (asked: asked_of, when read), for person (the
    viewer when None), posting to action (the viewer's own address when None)."""
    if asked is None:
        asked = asked_of(event, person or current_user)
    if form is None:
        form = answers_form(
            [(item.question, item.choices) for item in asked],
            shown={
                item.question.id: item.chosen if item.question.has_choices else item.text
                for item in asked
            },
        )
    return {
        "questions": [item.question for item in asked],
        "answered": {item.question.id: item.text for item in asked},
        "form": form,
        "ended": event.has_ended(),
        "action": action,
    }


def save_from_form(person, event, action):
    """Save the answers a posted questions form sent for person: the section to show next
    (the stored answers after a save, the form with its messages when refused) and whether
    they were saved; the section's form posts to action (None: the viewer's address)."""
    asked = asked_of(event, person)
    form = answers_form([(item.question, item.choices) for item in asked])
    if form.validate_on_submit():
        given = {item.question.id: _given(item.question, form) for item in asked}
        try:
            save_answers(person, event, asked, given)
        except RuleError as error:
            refuse(error, form)
        else:
            return section_for(event, person=person, action=action), True
    return section_for(event, form, asked=asked, person=person, action=action), False


def _given(question, form):
    """What form says of question: the text, or the ids of the choices chosen."""
    data = form[field_name(question)].data
    if question.kind == QuestionKind.ONE:
        return [data] if data is not None else []
    return data


@bp.route("", methods=["GET", "POST"])
@login_required
def save(event_id):
    """GET: the questions on a page of their own. POST: the answers, saved; 422 with the
    message beside the question when one is needed."""
    event = get_event(event_id, need=may_answer)
    if answer_value(current_user, event) not in ANSWERING or not event.has_questions:
        flash(_("Answer the event first: the questions are for those who come."), "info")
        return redirect(event_url(event), 303)
    status = 200
    if request.method == "POST":
        section, saved = save_from_form(current_user, event, None)
        if saved:
            flash(_("Your answers are saved."), "success")
            if not wants_fragment():
                return redirect_to(event_url(event))
        else:
            status = 422
    else:
        section = section_for(event)
    return render(
        "events/questions/answer.html",
        "events/questions/_answers.html",
        status=status,
        event=event,
        question_section=section,
    )
