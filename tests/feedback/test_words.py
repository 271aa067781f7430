"""The feedback page's counts in words, in the plural form each number needs: the people
an average comes from, the answers members wait for, and the days feedback stays open."""

from datetime import timedelta

import pytest

from tests.polls.support import logged_in
from tests.tasks.factories import going, make_feedback, make_party
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.extensions import db
from webapp.feedback.services import EDIT_DAYS


@pytest.fixture
def party(app):
    """An event that ended yesterday, with three members who were going."""
    with app.app_context():
        party = make_party(members=3, ended=True)
        event = db.session.get(Event, party.event_id)
        for user_id in party.member_ids:
            going(event, db.session.get(User, user_id))
        return party


def url(party):
    return f"/events/{party.event_id}/feedback"


def rate(app, party, *member_indexes):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        for index in member_indexes:
            make_feedback(event, db.session.get(User, party.member_ids[index]), 4)


def test_the_average_comes_from_one_person_then_two_people(app, party):
    organiser = logged_in(app, party.organiser)
    rate(app, party, 0)
    page = organiser.get(url(party)).text
    assert "<strong>4.0 out of 5</strong>, from 1 person." in page
    rate(app, party, 1)
    page = organiser.get(url(party)).text
    assert "<strong>4.0 out of 5</strong>, from 2 people." in page


def test_members_wait_for_answers_in_words(app, party):
    rate(app, party, 0)
    page = logged_in(app, party.members[1]).get(url(party)).text
    assert "The average shows once 3 people have answered." in page


def test_feedback_closed_after_its_days(app, party):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        event.ends_at = utcnow() - timedelta(days=EDIT_DAYS + 1)
        event.starts_at = event.ends_at - timedelta(hours=2)
        db.session.commit()
    page = logged_in(app, party.members[0]).get(url(party)).text
    assert f"Feedback closed {EDIT_DAYS} days after the event ended." in page
