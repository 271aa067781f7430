"""Events: a group's events (views.py) and the organisers' pages (manage_events.py, under
a nested blueprint that loads and authorises before any view runs). Sub-features nest as
packages of the same shape, each with its own blueprint inside this one: people's answers
(rsvp/), the agenda (agenda/), calendar files and feeds (calendar/), event email (mail/),
series of dates (series/), check-in at the door (checkin/), the questions organisers
ask (questions/), the members they name to co-host an event (cohosts/) and answers from
people without an account (guest_answers/)."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("events", __name__)


def load_managed_event(values):
    """Every manage view gets g.event (and g.group), already checked: log in first, 404
    to those who may not see the event, 403 to those who may see but not manage it."""
    from webapp.events.access import can_manage_event, get_event

    g.event = get_event(values.pop("event_id"), need=can_manage_event)
    g.group = g.event.group


manage = authorised_blueprint(
    "manage", __name__, "/events/<int:event_id>/manage", load_managed_event
)


# The sub-features' blueprints nest in this one: endpoints events.rsvp.*, events.agenda.*,
# events.calendar.*, events.series.*, events.checkin.*, events.questions.*,
# events.cohosts.*, events.guest_answers.*. Their packages import nothing of events until
# their views attach.
from webapp.events import (  # noqa: E402
    agenda,
    calendar,
    checkin,
    cohosts,
    guest_answers,
    questions,
    rsvp,
    series,
)

for nested in (
    manage,
    rsvp.bp,
    agenda.manage,
    calendar.bp,
    series.bp,
    checkin.manage,
    checkin.bp,
    questions.manage,
    questions.bp,
    cohosts.manage,
    guest_answers.bp,
):
    bp.register_blueprint(nested)


@bp.record_once
def register_sweeps_and_gauges(state):
    """Due reminders, the dates of series coming within their horizon, the next date
    lists show of a series whose shown one has ended, answers to questions kept past
    their days, and guests who hold nothing, are swept by the job workers; answers are
    counted on /metrics."""
    from webapp.events.gauges import answer_gauges
    from webapp.events.guest_answers.services import forget_idle_guests
    from webapp.events.mail.reminders import sweep_due_reminders
    from webapp.events.questions.retention import sweep_old_answers
    from webapp.events.series.folding import sweep_series_folds
    from webapp.events.series.horizon import sweep_series_horizons
    from webapp.jobs import register_sweep
    from webapp.operations.metrics import register_gauges

    register_sweep(state.app, "reminder", sweep_due_reminders)
    register_sweep(state.app, "series horizon", sweep_series_horizons)
    register_sweep(state.app, "series fold", sweep_series_folds)
    register_sweep(state.app, "old answers to questions", sweep_old_answers)
    register_sweep(state.app, "idle guests", forget_idle_guests)
    register_gauges(state.app, answer_gauges)


def attach_views():
    """Import the modules whose routes attach to bp and to the sub-features' blueprints
    (see create_app)."""
    from webapp.events import mail, manage_events, panels, views  # noqa: F401

    for part in (rsvp, agenda, calendar, mail, series, checkin, questions, cohosts, guest_answers):
        part.attach_views()
