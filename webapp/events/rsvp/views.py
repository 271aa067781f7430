"""People's answers to an event: the RSVP panel, its live poll, and the attendee list with
the organisers' removal and CSV export (see the package's docstring for why no loader)."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp import live
from webapp.accounts.models import full_name
from webapp.database.unit_of_work import RuleError, commit_before_rendering, refuse
from webapp.events.access import (
    can_manage_event,
    can_see_event,
    event_url,
    find_event,
    get_event,
    load_event,
    may_answer,
)
from webapp.events.questions.models import ShownTo
from webapp.events.questions.queries import answers_of_people, questions_of
from webapp.events.rsvp import bp
from webapp.events.rsvp.export import attendees_csv
from webapp.events.rsvp.forms import AnswerForm
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.panel import rsvp_panel_context
from webapp.events.rsvp.queries import LISTED, attendee_lines, attendee_of
from webapp.events.rsvp.services import answer_event, changes_end_at, panel_topic, remove_attendee
from webapp.extensions import login_manager
from webapp.groups.access import can_see, can_take_part
from webapp.live import STOP_POLLING
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _
from webapp.web.translating import ngettext
from webapp.web.url_patterns import url_for_each

ATTENDEES_PER_PAGE = 100


def may_see_attendees(user, event):
    return can_take_part(user, event.group) or can_manage_event(user, event)


def answered_message(mine):
    if mine.answer == Answer.WAITLISTED:
        return _(
            "The event is full: you are on the waitlist. We will email you if a place frees up."
        )
    if mine.answer == Answer.GOING and mine.guests:
        return ngettext(
            "You are going with %(num)d guest.", "You are going with %(num)d guests.", mine.guests
        )
    if mine.answer == Answer.GOING:
        return _("You are going.")
    if mine.answer == Answer.MAYBE:
        return _("Your answer is saved: maybe.")
    return _("You are not going.")


def panel_response(event, form=None, status=200):
    """The panel (with the "Places" line out of band) for htmx, on a page of its own
    otherwise."""
    return render(
        "events/rsvp/answer.html",
        "events/rsvp/_answered.html",
        status=status,
        event=event,
        group=event.group,
        **rsvp_panel_context(event, form),
    )


# One rule for both methods: two rules on one path would answer a bad id with 405, not 404.
@bp.route("/rsvp", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
def answer(event_id):
    """GET: the panel as it stands (a page of its own without htmx). POST: going, maybe or
    not going; the panel swaps in place, or the event page reloads."""
    if request.method == "GET":
        return panel_response(find_event(event_id, with_answer=True))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    form = AnswerForm()
    # Checked before the event is read: an answer in good shape reads it with its lock
    # (others queue for it), and the check need not wait under it.
    in_shape = form.validate_on_submit()
    event = get_event(event_id, need=may_answer, to_answer=in_shape)
    if in_shape and save_answer(current_user, event, form):
        if not wants_fragment():
            return redirect_to(event_url(event))
        return panel_response(event)
    return panel_response(event, form, status=422)


def save_answer(person, event, form):
    """person's answer as form sent it (answer_event), committed before the page is
    rendered and said in a flash; None when refused, the form holding why."""
    try:
        mine = answer_event(person, event, form.answer.data, form.guests.data or 0)
    except RuleError as error:
        refuse(error, form)
        return None
    commit_before_rendering()
    flash(answered_message(mine), "success")
    return mine


@bp.get("/rsvp/live")
@live.polled_by(panel_topic)
def live_panel(event_id):
    """The panel's poll: 204 while the version it shows is current (one Redis read, no
    SQL: nothing here may touch current_user, whose session is a query), the fresh panel
    when it changed, and 286 with the last one when it can change no more."""
    if not wants_fragment():
        return redirect(url_for(".answer", event_id=event_id), 303)
    topic = panel_topic(event_id)
    if live.unchanged(topic, request.args.get("v", "")):
        return Response(status=204)
    event = load_event(event_id, with_answer=True)
    if event is not None and not event.is_live and can_see(current_user, event.group):
        return render(
            "events/rsvp/answer.html", "events/rsvp/_gone.html", status=STOP_POLLING, event=event
        )
    if event is None or not can_see_event(current_user, event):
        abort(404)
    live.publish_if_behind(topic, event.rsvp_version, until=changes_end_at(event))
    context = rsvp_panel_context(event)
    panel = context["rsvp_panel"]
    promoted = panel.mine is not None and panel.mine.answer == Answer.GOING
    if promoted and request.args.get("shown") == Answer.WAITLISTED:
        # Said in the flashes' live region too: heard, not only seen.
        flash(_("A place freed up: you are going to %(title)s.", title=event.title), "success")
    status = STOP_POLLING if panel.final else 200
    return render(
        "events/rsvp/answer.html",
        "events/rsvp/_answered.html",
        status=status,
        event=event,
        **context,
    )


@bp.get("/attendees")
@login_required
def attendees(event_id):
    """Who is going, who waits (in order) and who might come: for members and organisers."""
    event = get_event(event_id, need=may_see_attendees)
    page = paginate(attendee_lines(), per_page=ATTENDEES_PER_PAGE, values={"event_id": event.id})
    sections = {answer: [] for answer in LISTED}
    for position, line in enumerate(page.items, start=(page.page - 1) * page.per_page):
        # Going come first: a waiting person's place is their position after them.
        place = position - event.going_count + 1
        sections[line.answer].append((line, full_name(line.first_name, line.last_name), place))
    can_manage = can_manage_event(current_user, event)
    group = event.group
    return render(
        "events/rsvp/attendees.html",
        "events/rsvp/_attendee_list.html",
        event=event,
        group=group,
        page=page,
        sections=sections,
        can_manage=can_manage,
        answers_shown=_answers_shown(event, can_manage),
        # A hundred rows each link and label the same way: addresses built and words
        # translated once for the page, not per row.
        report_url=url_for_each("reports.report_a_person", "user_id", slug=group.slug),
        remove_url=url_for_each("events.rsvp.remove", "rsvp_id", event_id=event.id),
        row_words={
            "you": _("(you)"),
            "without_account": _("(without an account)"),
            "report": _("Report"),
            "remove": _("Remove"),
            # Each row's name goes in (the template's format filter; the page escapes it).
            "report_someone": _("Report %(name)s"),
            "remove_someone": _("Remove %(name)s"),
        },
    )


def _answers_shown(event, can_manage):
    """{user id: [(question, answer text)]} the viewer reads on the list: every answer
    for those who run the event, else those to questions everyone coming reads."""
    questions = questions_of(event)
    if not can_manage:
        questions = [q for q in questions if q.shown_to == ShownTo.ATTENDEES]
    if not questions:
        return {}
    given = answers_of_people(event)
    shown = {}
    for question in questions:
        for (question_id, user_id), text in given.items():
            if question_id == question.id:
                shown.setdefault(user_id, []).append((question, text))
    return shown


@bp.route("/attendees/<int:rsvp_id>/remove", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
@login_required
def remove(event_id, rsvp_id):
    """GET asks first (a page, or a dialog with JavaScript); POST takes the person off."""
    event = get_event(event_id, need=can_manage_event)
    subject = attendee_of(event, rsvp_id) or abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render(
            "events/rsvp/remove_attendee.html",
            "events/rsvp/_remove_attendee.html",
            status=422 if form.is_submitted() else 200,
            event=event,
            subject=subject,
            form=form,
        )
    name = subject.user.name
    try:
        remove_attendee(current_user, event, rsvp_id)
    except RuleError as error:
        refuse(error)
    else:
        flash(_("%(name)s is off the list of %(title)s.", name=name, title=event.title), "success")
    return redirect_to(url_for(".attendees", event_id=event_id))


@bp.get("/attendees.csv")
@login_required
def export(event_id):
    """The list as a spreadsheet: going, waitlisted (in order), maybe."""
    event = get_event(event_id, need=can_manage_event)
    return Response(
        attendees_csv(event),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-attendees.csv"'},
    )
