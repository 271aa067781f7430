"""Answers to questions go their group's number of days after the event ends, by the
workers' sweep, and not before; the group's owner sets the days in its settings (422
beside the field out of 1 to 365). The group that keeps answers longer was made first."""

from datetime import timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error
from webapp.database.times import utcnow
from webapp.events.questions.models import EventQuestion, QuestionAnswer
from webapp.events.questions.retention import sweep_old_answers
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import registered_sweeps


def answered_event(group, person, ended_days_ago, text):
    event = make_event(group, starts_in=-timedelta(days=ended_days_ago, hours=2))
    question = EventQuestion(event_id=event.id, text="Any allergies?")
    db.session.add(question)
    db.session.flush()
    db.session.add(QuestionAnswer(question_id=question.id, user_id=person.id, text=text))
    db.session.commit()


def kept(app):
    with app.app_context():
        return sorted(db.session.scalars(sa.select(QuestionAnswer.text)))


def test_answers_go_their_groups_days_after_the_event(app):
    with app.app_context():
        owner = make_user()
        patient = make_group(owner, name="Keeps a month")
        brisk = make_group(owner, name="Keeps two days")
        brisk.answers_kept_days = 2
        db.session.commit()
        answered_event(patient, owner, ended_days_ago=3, text="month, 3 days ago")
        answered_event(brisk, owner, ended_days_ago=3, text="two days, 3 days ago")
        answered_event(brisk, owner, ended_days_ago=1, text="two days, yesterday")
        assert "old answers to questions" in dict(registered_sweeps(app))
        assert sweep_old_answers() == 1
    assert kept(app) == ["month, 3 days ago", "two days, yesterday"]
    with app.app_context():
        assert sweep_old_answers() == 0  # a second sweep finds none
        assert sweep_old_answers(utcnow() + timedelta(days=2)) == 1
    assert kept(app) == ["month, 3 days ago"]
    with app.app_context():
        assert sweep_old_answers(utcnow() + timedelta(days=26)) == 0
        assert sweep_old_answers(utcnow() + timedelta(days=28)) == 1
    assert kept(app) == []


def test_the_owner_sets_the_days_in_the_groups_settings(app):
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner, name="Walkers")
        slug, group_id = group.slug, group.id
    olu = logged_in(app, "olu@example.org")
    form = {
        "name": "Walkers",
        "slug": slug,
        "description": "",
        "visibility": "public",
        "join_policy": "open",
    }
    for days in ("0", "366", "many"):
        response = olu.submit(
            f"/groups/{slug}/manage/settings", {**form, "answers_kept_days": days}
        )
        assert response.status_code == 422, days
        assert field_error(response, "answers_kept_days"), days
    response = olu.submit(f"/groups/{slug}/manage/settings", {**form, "answers_kept_days": "7"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Group, group_id).answers_kept_days == 7
