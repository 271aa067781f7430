"""Answers to an event's questions are kept for the group's answers_kept_days after the
event ends, then deleted by a sweep: what people told organisers for one event (an
allergy, a T-shirt size) is not kept for ever."""

import logging
from datetime import timedelta

import sqlalchemy as sa

from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import job_context

log = logging.getLogger("hearth.jobs")

# The shortest a group may keep answers: events over less than this ago are not looked at.
MIN_DAYS, MAX_DAYS = 1, 365


def sweep_old_answers(now=None):
    """Delete the answers to questions of events that ended more than their group's days
    ago; returns how many went. Idempotent: a second sweep finds none. The events read are
    those over with answers still kept: at most a few weeks of a site's events. In a
    session of its own (job_context): it also runs in the web process after a commit."""
    with job_context():
        now = now or utcnow()
        has_answers = sa.exists().where(QuestionAnswer.question_id == EventQuestion.id)
        candidates = db.session.execute(
            sa.select(EventQuestion.id, Event.ends_at, Group.answers_kept_days)
            .join(Event, Event.id == EventQuestion.event_id)
            .join(Group, Group.id == Event.group_id)
            .where(Event.ends_at < now - timedelta(days=MIN_DAYS), has_answers)
        ).all()
        expired = [
            question_id
            for question_id, ends_at, days in candidates
            if ends_at + timedelta(days=days) < now
        ]
        if not expired:
            return 0
        deleted = db.session.execute(
            sa.delete(QuestionAnswer).where(QuestionAnswer.question_id.in_(expired)),
            execution_options={"synchronize_session": False},
        ).rowcount
    log.info("old answers to questions: %d deleted", deleted)
    return deleted
