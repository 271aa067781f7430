"""A visitor answering without an account, the link that confirms it, and the guest's own
page for their answer (from the link in every email about it)."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from webapp.accounts.links import link_problem
from webapp.accounts.tokens import TokenError, check_token
from webapp.database.unit_of_work import RuleError, commit_before_rendering, refuse
from webapp.events.access import event_url, find_event, takes_guests
from webapp.events.checkin.passes import qr_svg, scan_url
from webapp.events.guest_answers import bp
from webapp.events.guest_answers.access import guest_of
from webapp.events.guest_answers.forms import GuestAnswerForm
from webapp.events.guest_answers.links import answer_token
from webapp.events.guest_answers.services import ask_to_answer, confirm_answer, confirm_purpose
from webapp.events.questions.services import ANSWERING
from webapp.events.questions.views import save_from_form, section_for
from webapp.events.rsvp.forms import AnswerForm
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.panel import ordinal
from webapp.events.rsvp.queries import answer_and_place
from webapp.events.rsvp.services import guest_limit_message
from webapp.events.rsvp.views import answered_message, save_answer
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _


def _event_taking_guests(event_id):
    """The event, when it takes guests now; 404 otherwise (the pages exist only there)."""
    event = find_event(event_id)
    if not takes_guests(event) or event.is_draft:
        abort(404)
    return event


@bp.route("", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EMAIL", per_address=True)
def ask(event_id):
    """GET: the form (a name, an address, going or maybe). POST: the link that confirms
    it is mailed; the page says so whatever the address."""
    event = _event_taking_guests(event_id)
    if current_user.is_authenticated:
        # Someone logged in answers with the event's own panel.
        return redirect(event_url(event), 303)
    form = GuestAnswerForm()
    if form.validate_on_submit():
        try:
            ask_to_answer(
                event,
                form.name.data,
                form.email.data,
                form.answer.data,
                form.guests.data or 0,
                language=str(get_locale()),
            )
        except RuleError as error:
            refuse(error, form)
        else:
            flash(
                _(
                    "Check your inbox: we sent a link to %(email)s. Follow it within a day "
                    "to confirm your answer; until then it holds no place.",
                    email=form.email.data,
                ),
                "success",
            )
            return redirect_to(event_url(event))
    return render_form(
        "events/guest_answers/ask.html",
        "events/guest_answers/_ask_form.html",
        form,
        event=event,
        group=event.group,
        limit_text=guest_limit_message(event) if event.guests_allowed else None,
    )


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(event_id, token):
    """GET shows a button; the POST confirms (mail scanners that fetch links use nothing)."""
    event = _event_taking_guests(event_id)
    form = EmptyForm()
    try:
        if request.method == "GET" or not form.validate_on_submit():
            check_token(token, confirm_purpose(event.id))
            return render(
                "events/guest_answers/confirm.html",
                "events/guest_answers/_confirm.html",
                status=200 if request.method == "GET" else 422,
                event=event,
                form=form,
                token=token,
            )
        guest, rsvp = confirm_answer(event, token)
    except TokenError as error:
        return link_problem(error, "guest_answer", retry_url=url_for(".ask", event_id=event.id))
    except RuleError as error:
        refuse(error)
        return redirect_to(event_url(event))
    commit_before_rendering()
    flash(answered_message(rsvp), "success")
    token = answer_token(event.id, guest.id)
    return redirect_to(url_for(".manage", event_id=event.id, token=token))


def _page(event, guest, token, form=None, question_section=None, status=200):
    mine, place = answer_and_place(guest, event)
    if mine is None:
        abort(404)
    here = url_for(".manage", event_id=event.id, token=token)
    if question_section is None and event.has_questions and mine.answer in ANSWERING:
        question_section = section_for(
            event, person=guest, action=url_for(".save_questions", event_id=event.id, token=token)
        )
    code = None
    if mine.answer == Answer.GOING and not event.is_cancelled:
        label = _("Door pass of %(name)s for %(title)s", name=guest.name, title=event.title)
        code = qr_svg(scan_url(event.id, guest.id), label)
    return render(
        "events/guest_answers/manage.html",
        "events/guest_answers/_answer.html",
        status=status,
        event=event,
        group=event.group,
        guest=guest,
        mine=mine,
        place_text=ordinal(place) if place else "",
        form=form or AnswerForm(formdata=None),
        here=here,
        code=code,
        question_section=question_section,
        token=token,
        signup_url=url_for("auth.signup", email=guest.email),
    )


@bp.route("/<token>", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_ANSWER")
def manage(event_id, token):
    """A guest's page for their answer: GET shows it; POST changes it (going, maybe, not
    going), as the RSVP panel does for members."""
    event = find_event(event_id)
    guest = guest_of(event, token)
    if request.method == "GET":
        return _page(event, guest, token)
    form = AnswerForm()
    if form.validate_on_submit() and save_answer(guest, event, form):
        if not wants_fragment():
            return redirect_to(url_for(".manage", event_id=event.id, token=token))
        return _page(event, guest, token)
    return _page(event, guest, token, form=form, status=422)


@bp.post("/<token>/questions")
@rate_limited("RATE_LIMIT_ANSWER")
def save_questions(event_id, token):
    """The guest's answers to the organisers' questions (as the members' form)."""
    event = find_event(event_id)
    guest = guest_of(event, token)
    action = url_for(".save_questions", event_id=event.id, token=token)
    section, saved = save_from_form(guest, event, action)
    if saved:
        flash(_("Your answers are saved."), "success")
        if not wants_fragment():
            return redirect_to(url_for(".manage", event_id=event.id, token=token))
    status = 200 if saved else 422
    if wants_fragment():
        return render(
            "events/questions/answer.html",
            "events/questions/_answers.html",
            status=status,
            event=event,
            question_section=section,
        )
    return _page(event, guest, token, question_section=section, status=status)
