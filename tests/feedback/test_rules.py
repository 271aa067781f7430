"""The feedback rules through HTTP: people who were going leave a rating and a comment
after the end, once each, and change it for 14 days; before the end, after 14 days, on a
cancelled event, or for someone not going, no form is offered and a POST writes nothing.
Organisers see the average, the spread and the comments; members see the average from
three answers on, and not before."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.polls.support import logged_in
from tests.support.auth import field_error
from tests.support.html_checks import by_id
from tests.tasks.factories import feedback_rows, going, make_feedback, make_party
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db


@pytest.fixture
def party(app):
    """An event that ended yesterday; the first member was going, the second said maybe."""
    with app.app_context():
        party = make_party(members=5, ended=True)
        event = db.session.get(Event, party.event_id)
        going(event, db.session.get(User, party.member_ids[0]))
        going(event, db.session.get(User, party.member_ids[1]), Answer.MAYBE)
        return party


def url(party):
    return f"/events/{party.event_id}/feedback"


def move_event(app, party, ended_ago):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        event.ends_at = utcnow() - ended_ago
        event.starts_at = event.ends_at - timedelta(hours=2)
        db.session.commit()


def test_someone_who_was_going_leaves_feedback_then_changes_it(app, party):
    member = logged_in(app, party.members[0])
    page = member.get(url(party))
    assert page.status_code == 200 and "How was it?" in page.text
    response = member.submit(url(party), {"rating": "4", "comment": "  Lovely evening "})
    assert response.status_code == 303 and response.location == url(party)
    again = member.get(url(party)).text
    assert "Thanks for your feedback!" in again and "Your feedback" in again
    assert member.submit(url(party), {"rating": "5", "comment": "Even better"}).status_code == 303
    with app.app_context():
        (row,) = feedback_rows(party.event_id)
        assert (row.user_id, row.rating, row.comment) == (party.member_ids[0], 5, "Even better")


def test_the_htmx_form_answers_its_section(app, party):
    member = logged_in(app, party.members[0])
    fragment = member.fragment(url(party))
    assert "<html" not in fragment.text
    response = member.submit(url(party), {"rating": "3"}, htmx=True)
    assert response.status_code == 200
    assert by_id(response.text, f"event-feedback-{party.event_id}") is not None
    assert "<html" not in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a rating from 1 to 5."),
        ({"rating": "0"}, "Not a valid choice"),
        ({"rating": "6"}, "Not a valid choice"),
        ({"rating": "five"}, "coerce"),
        ({"rating": "99999999999999999999"}, "Not a valid choice"),
        ({"rating": "3", "comment": "x" * 2001}, "2000"),
    ],
)
def test_bad_input_is_422_beside_its_field_and_writes_nothing(app, party, data, message):
    member = logged_in(app, party.members[0])
    response = member.submit(url(party), data)
    assert response.status_code == 422
    errors = (field_error(response, "rating") or "") + (field_error(response, "comment") or "")
    assert message in errors
    with app.app_context():
        assert feedback_rows(party.event_id) == []


def test_a_nul_byte_is_refused(app, party):
    member = logged_in(app, party.members[0])
    assert member.submit(url(party), {"rating": "3", "comment": "a\x00"}).status_code == 400


def refused(app, client, party, message):
    assert "How was it?" not in client.get(url(party)).text
    response = client.submit(url(party), {"rating": "5", "comment": "Sneaky"})
    assert response.status_code == 422
    assert message in response.text
    with app.app_context():
        assert feedback_rows(party.event_id) == []


def test_someone_who_was_not_going_cannot(app, party):
    maybe = logged_in(app, party.members[1])
    refused(app, maybe, party, "Feedback is for the people who were going")
    # Whatever they typed, the answer is why, not what was wrong with the form.
    response = maybe.submit(url(party), {"rating": "9"})
    assert response.status_code == 422
    alert = '<p class="form-error" role="alert">Feedback is for the people who were going'
    assert alert in response.text
    never_answered = logged_in(app, party.members[2])
    refused(app, never_answered, party, "Feedback is for the people who were going")


def test_someone_removed_by_an_organiser_cannot(app, party):
    with app.app_context():
        # What remove_attendee leaves: the person counts as not going.
        db.session.execute(
            sa.update(Rsvp)
            .where(Rsvp.event_id == party.event_id, Rsvp.user_id == party.member_ids[0])
            .values(answer=Answer.NOT_GOING)
        )
        db.session.commit()
    member = logged_in(app, party.members[0])
    refused(app, member, party, "Feedback is for the people who were going")


def test_not_before_the_end(app, party):
    move_event(app, party, ended_ago=-timedelta(minutes=5))
    member = logged_in(app, party.members[0])
    refused(app, member, party, "Feedback opens when the event has ended.")


def test_open_until_fourteen_days_after_the_end_and_not_after(app, party):
    move_event(app, party, ended_ago=timedelta(days=13, hours=23))
    member = logged_in(app, party.members[0])
    assert member.submit(url(party), {"rating": "2"}).status_code == 303
    move_event(app, party, ended_ago=timedelta(days=14, minutes=1))
    assert "Your feedback" not in member.get(url(party)).text
    response = member.submit(url(party), {"rating": "5"})
    assert response.status_code == 422 and "closed 14 days after" in response.text
    with app.app_context():
        assert [row.rating for row in feedback_rows(party.event_id)] == [2]


def test_not_on_a_cancelled_event(app, party):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        event.status = EventStatus.CANCELLED
        db.session.commit()
    member = logged_in(app, party.members[0])
    refused(app, member, party, "did not take place")


def test_outsiders_and_visitors_cannot_post(app, client, party):
    outsider = logged_in(app, party.outsider)
    assert outsider.submit(url(party), {"rating": "5"}).status_code == 403
    response = client.submit(url(party), {"rating": "5"})
    assert response.status_code == 303 and response.location.startswith("/login")
    with app.app_context():
        assert feedback_rows(party.event_id) == []


def add_answers(app, party, ratings):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        for user_id, (rating, comment) in zip(party.member_ids[2:], ratings, strict=False):
            make_feedback(event, db.session.get(User, user_id), rating, comment)


def test_organisers_see_average_spread_and_comments(app, party):
    add_answers(app, party, [(5, "Great food"), (3, "")])
    organiser = logged_in(app, party.organiser)
    page = organiser.get(url(party)).text
    assert "4.0 out of 5" in page and "from 2 people" in page
    table = by_id(page, f"event-feedback-{party.event_id}")
    assert table is not None
    assert '<th scope="row">5 out of 5</th><td>1</td><td>50%</td>' in page
    assert '<th scope="row">4 out of 5</th><td>0</td><td>0%</td>' in page
    assert "Great food" in page
    with app.app_context():
        author = db.session.get(User, party.member_ids[2]).name
    assert author in page


def test_members_see_the_average_from_three_answers(app, party):
    add_answers(app, party, [(5, "Secret"), (4, "")])
    member = logged_in(app, party.members[1])
    page = member.get(url(party)).text
    assert "out of 5</strong>" not in page and "once 3 people have answered" in page
    assert "Secret" not in page and "<table" not in page
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        make_feedback(event, db.session.get(User, party.member_ids[4]), 3)
    page = member.get(url(party)).text
    assert "4.0 out of 5" in page and "from 3 people" in page
    assert "Secret" not in page and "<table" not in page


def test_visitors_see_neither_average_nor_comments(app, client, party):
    add_answers(app, party, [(5, "Secret"), (4, ""), (3, "")])
    page = client.get(url(party)).text
    assert "out of 5" not in page and "Secret" not in page


def test_the_event_page_links_to_feedback_once_it_ended(app, client, party):
    page = client.get(f"/events/{party.event_id}", follow_redirects=True)
    assert f'href="/events/{party.event_id}/feedback"' in page.text


def test_once_the_door_was_used_feedback_is_for_those_checked_in(app, party):
    """Three going; the door checked in the third and the first, not the second."""
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        for member_id in party.member_ids[2:4]:
            going(event, db.session.get(User, member_id))
        for member_id in (party.member_ids[3], party.member_ids[0]):
            db.session.add(CheckIn(event_id=event.id, user_id=member_id))
        db.session.commit()
    came, stayed_home = party.members[3], party.members[2]
    rating = {"rating": "4", "comment": "Good night"}

    assert logged_in(app, came).submit(url(party), rating).status_code == 303
    refused = logged_in(app, stayed_home).submit(url(party), rating)
    assert refused.status_code == 422
    assert "Feedback is for the people who were going to this event." in refused.text
    assert 'name="rating"' not in logged_in(app, stayed_home).get(url(party)).text
    with app.app_context():
        assert [row.user_id for row in feedback_rows(party.event_id)] == [party.member_ids[3]]
