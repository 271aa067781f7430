"""A date poll of a group with no event: its slot becomes a new event of the group in one
step, published at once (the voters are emailed a link they can open), and the poll, now
the event's, closes. Bad titles, other polls' slots, past slots and polls that have an
event are refused, and change nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.polls.support import group_with_people, logged_in
from tests.support.auth import field_error, form_errors, html
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollOption


@pytest.fixture
def setup(app):
    """A group with three members, and its date poll (three slots, Berlin time) in which
    the first two voted yes to the second slot."""
    with app.app_context():
        people = group_with_people(3)
        group = db.session.get(Group, people.group_id)
        poll = make_poll(group, slots=slots_from_now(3), question="When do we meet?")
        poll.time_zone = "Europe/Berlin"
        db.session.commit()
        slots = option_ids(poll)
        for user_id in people.member_ids[:2]:
            vote(db.session.get(User, user_id), poll, slot_answers={slots[1]: "yes"})
        return people, poll.id, slots


def new_event_url(poll_id, option_id):
    return f"/polls/{poll_id}/manage/slots/{option_id}/new-event"


def events_of(app, group_id):
    with app.app_context():
        return db.session.scalars(sa.select(Event).where(Event.group_id == group_id)).all()


def test_a_slot_becomes_a_new_published_event_and_the_voters_hear_of_it(app, mailbox, setup):
    people, poll_id, (_, second, _) = setup
    owner = logged_in(app, people.owner)
    page = html(owner.get(f"/polls/{poll_id}"))
    assert "Make a slot an event" in page and "Set the event's date" not in page
    question = owner.get(new_event_url(poll_id, second))
    assert question.status_code == 200 and "A new event on" in html(question)
    assert 'name="title"' in html(question)

    response = owner.submit(new_event_url(poll_id, second), {"title": "Spring picnic"})

    assert response.status_code == 303
    [event] = events_of(app, people.group_id)
    assert response.location == f"/events/{event.id}-spring-picnic"
    with app.app_context():
        slot = db.session.get(PollOption, second)
        poll = db.session.get(Poll, poll_id)
        assert (event.starts_at, event.ends_at) == (slot.starts_at, slot.ends_at)
        assert event.status == EventStatus.PUBLISHED and event.time_zone == "Europe/Berlin"
        assert poll.event_id == event.id and poll.closed_at is not None
        label = slot.label
    for voter in people.members[:2]:
        [message] = mailbox.messages(voter)
        assert message["Subject"] == f"Date set: Spring picnic, {label}"
        text = mailbox.text(message)
        assert f"See the event: http://localhost/events/{event.id}-spring-picnic" in text
        assert "It is a new event of" in text
    assert mailbox.messages(people.members[2]) == []
    assert mailbox.messages(people.owner) == []
    # The voters can open it and answer; the poll is the event's now.
    member = logged_in(app, people.members[0])
    assert "Spring picnic" in html(member.get(f"/events/{event.id}-spring-picnic"))
    assert "Spring picnic" in html(member.get(f"/polls/{poll_id}"))
    # A second click finds the poll on its event: no second event, no second email.
    assert owner.submit(new_event_url(poll_id, second), {"title": "Again"}).status_code == 404
    assert len(events_of(app, people.group_id)) == 1
    assert len(mailbox.messages(people.members[0])) == 1


@pytest.mark.parametrize(
    ("title", "error"), [("", "Give the event a title."), ("x" * 151, "longer than 150 characters")]
)
def test_a_bad_title_is_refused_and_nothing_changes(app, mailbox, setup, title, error):
    people, poll_id, (first, _, _) = setup
    owner = logged_in(app, people.owner)

    response = owner.submit(new_event_url(poll_id, first), {"title": title})

    assert response.status_code == 422
    assert error in field_error(response, "title")
    assert events_of(app, people.group_id) == []
    with app.app_context():
        assert db.session.get(Poll, poll_id).closed_at is None
    assert mailbox.messages() == []


def test_a_slot_that_is_over_is_refused(app, setup):
    people, poll_id, (first, _, _) = setup
    with app.app_context():
        slot = db.session.get(PollOption, first)
        slot.starts_at, slot.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
        db.session.commit()
    owner = logged_in(app, people.owner)

    response = owner.submit(new_event_url(poll_id, first), {"title": "Too late"})

    assert response.status_code == 422
    assert "That slot is over: choose one still to come." in form_errors(response)
    assert events_of(app, people.group_id) == []


def test_only_a_slot_of_a_groups_own_date_poll_makes_an_event(app, setup):
    people, poll_id, _ = setup
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        plain = make_poll(group)
        other = make_poll(group, slots=slots_from_now(2, days=20))
        event = make_event(group, title="Picnic")
        on_event = make_poll(group, event=event, slots=slots_from_now(2))
        cases = [
            (poll_id, option_ids(other)[0]),  # another poll's slot
            (plain.id, option_ids(plain)[0]),  # not a date poll
            (on_event.id, option_ids(on_event)[0]),  # its date is its event's: schedule
        ]
    owner = logged_in(app, people.owner)
    for case_poll, option in cases:
        assert owner.get(new_event_url(case_poll, option)).status_code == 404
        assert owner.submit(new_event_url(case_poll, option), {"title": "X"}).status_code == 404
    assert [e.title for e in events_of(app, people.group_id)] == ["Picnic"]
    # And a group's poll has no event's date to set.
    with app.app_context():
        slot = option_ids(db.session.get(Poll, poll_id))[0]
    assert owner.submit(f"/polls/{poll_id}/manage/slots/{slot}/schedule").status_code == 404
