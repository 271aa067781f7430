"""Questions an event's organisers ask the people who answer it ("Any allergies?"): the
organisers write them (manage_questions.py, under a nested blueprint whose loader
authorises first), people going, waiting or maybe answer them on the event's page
(views.py), and the answers are deleted a while after the event (retention.py, the
group's choice of days). Endpoints events.questions.* (organisers) and
events.question_answers.* (answering)."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint


def load_event_for_questions(values):
    """Every organiser's view gets g.event, already checked."""
    from webapp.events.access import can_manage_event, get_event

    g.event = get_event(values.pop("event_id"), need=can_manage_event)


manage = authorised_blueprint(
    "questions", __name__, "/events/<int:event_id>/questions", load_event_for_questions
)
bp = Blueprint("question_answers", __name__, url_prefix="/events/<int:event_id>/answers")


def attach_views():
    """Import the modules whose routes attach to manage and bp (see
    webapp.events.attach_views)."""
    from webapp.events.questions import manage_questions, views  # noqa: F401
