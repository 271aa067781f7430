"""An event's feedback page: the form for those who were going (from the end of the
event, for 14 days; a guest's from the link to their answer), the average for members
once enough answered, and the spread and comments for its organisers. The form swaps the
section with htmx; without JavaScript it posts and redirects."""

from flask import flash, request, url_for
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import can_manage_event, find_event, get_event
from webapp.events.guest_answers.access import guest_of
from webapp.extensions import login_manager
from webapp.feedback import bp
from webapp.feedback.forms import FeedbackForm
from webapp.feedback.queries import comments_of, feedback_of, summary_of, was_there
from webapp.feedback.services import (
    EDIT_DAYS,
    Window,
    closes_at,
    leave_feedback,
    refuse_unless_open,
    window_of,
)
from webapp.groups.access import can_take_part
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

# Members see the average only once this many have answered: fewer would give away
# what one or two people said.
MEMBERS_SEE_AVERAGE_FROM = 3


def saved(feedback):
    return {"rating": feedback.rating, "comment": feedback.comment}


def feedback_page(event, form=None, status=200, refusals=(), guest=None, action=None):
    """The feedback page, or its section alone for htmx; refusals: why a post was refused,
    shown where the form would be when it is not offered. guest: the guest whose link
    opened it (their form alone; nothing of the others'), posting to action."""
    window = window_of(event)
    person = guest or current_user
    is_organiser = guest is None and can_manage_event(current_user, event)
    is_member = guest is None and can_take_part(current_user, event.group)
    mine = feedback_of(person, event)
    going = (is_member or guest is not None) and window == Window.OPEN and was_there(person, event)
    if form is None and going:
        form = FeedbackForm(formdata=None, data=saved(mine) if mine else None)
    summary = summary_of(event) if is_organiser or is_member else None
    return render(
        "feedback/event.html",
        "feedback/_feedback.html",
        status=status,
        event=event,
        group=event.group,
        window=window,
        closes_at=closes_at(event),
        edit_days=EDIT_DAYS,
        form=form if going else None,
        mine=mine,
        is_organiser=is_organiser,
        is_member=is_member,
        guest=guest,
        action=action or url_for("feedback.event_feedback", event_id=event.id),
        summary=summary,
        shows_average=bool(
            summary
            and (is_organiser or summary.total >= MEMBERS_SEE_AVERAGE_FROM)
            and summary.total
        ),
        comments=comments_of(event) if is_organiser else None,
        members_see_from=MEMBERS_SEE_AVERAGE_FROM,
        refusals=refusals,
    )


# One rule for both methods: two rules on one path would answer a bad id with 405, not 404.
@bp.route("/events/<int:event_id>/feedback", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True)
def event_feedback(event_id):
    """GET: how the event went (the form, the average, the spread and comments, as
    allowed). POST: leave feedback, or change one's own (people who were going, after
    the end)."""
    if request.method == "GET":
        return feedback_page(get_event(event_id))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    event = get_event(event_id, need=lambda user, e: can_take_part(user, e.group))
    return _save_feedback(event, None, url_for(".event_feedback", event_id=event.id))


@bp.route("/events/<int:event_id>/as-guest/<token>/feedback", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_ANSWER")
def guest_feedback(event_id, token):
    """The same for a guest who was there, from the link to their answer: their own
    feedback alone."""
    event = find_event(event_id)
    guest = guest_of(event, token)
    here = url_for(".guest_feedback", event_id=event.id, token=token)
    if request.method == "GET":
        return feedback_page(event, guest=guest, action=here)
    return _save_feedback(event, guest, here)


def _save_feedback(event, guest, here):
    """Save the posted feedback of the viewer (or guest); the page again, 422 with why
    when refused."""
    person = guest or current_user
    try:
        # Asked first: someone the form is not for hears why, whatever they typed.
        refuse_unless_open(person, event)
    except RuleError as error:
        return feedback_page(event, status=422, refusals=[error.message], guest=guest, action=here)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            _saved, created = leave_feedback(
                person, event, form.rating.data, form.comment.data or ""
            )
        except RuleError as error:
            refuse(error, form)
            # A feedback saved a moment ago by another request: show it to edit.
            mine = feedback_of(person, event)
            if mine is not None:
                form = FeedbackForm(
                    formdata=None, data={"rating": mine.rating, "comment": mine.comment}
                )
                form.form_errors.append(error.message)
        else:
            flash(
                _("Thanks for your feedback!") if created else _("Your feedback is saved."),
                "success",
            )
            if not wants_fragment():
                return redirect_to(here)
            return feedback_page(event, guest=guest, action=here)
    return feedback_page(
        event, form, status=422, refusals=form.form_errors, guest=guest, action=here
    )
