"""A date poll's slot becomes its event's date in one step: the event moves (through the
events' own rules, so the people who answered it are told by email), the poll closes, and
its voters are told once each. What the event's rules refuse is refused here too, and
changes nothing."""

from datetime import timedelta

import pytest

from tests.auth.test_protections import assert_too_many
from tests.events.factories import make_event
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.polls.support import group_with_people, logged_in
from tests.support.auth import form_errors, html
from webapp.accounts.models import User
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollOption
from webapp.polls.result_mail import sweep_closed_polls


@pytest.fixture
def setup(app):
    """A published event a week from now, a member going, and a date poll on the event
    with three slots ten to twelve days from now."""
    with app.app_context():
        people = group_with_people(2)
        group = db.session.get(Group, people.group_id)
        event = make_event(group, title="Picnic")
        answer_event(db.session.get(User, people.member_ids[0]), event, "going")
        db.session.commit()
        poll = make_poll(group, event=event, slots=slots_from_now(3))
        return people, event.id, poll.id, option_ids(poll)


def stored(app, event_id, poll_id):
    with app.app_context():
        return db.session.get(Event, event_id), db.session.get(Poll, poll_id)


def schedule_url(poll_id, option_id):
    return f"/polls/{poll_id}/manage/slots/{option_id}/schedule"


def test_a_slot_becomes_the_events_date_and_the_poll_closes(app, mailbox, setup):
    people, event_id, poll_id, (_, second, _) = setup
    owner = logged_in(app, people.owner)
    assert "Set the event's date" in html(owner.get(f"/polls/{poll_id}"))
    question = owner.get(schedule_url(poll_id, second))
    assert question.status_code == 200 and "Move “Picnic” to" in html(question)

    response = owner.submit(schedule_url(poll_id, second))

    assert response.status_code == 303
    assert response.location == f"/events/{event_id}-picnic"
    event, poll = stored(app, event_id, poll_id)
    slot = slots_from_now(3)[1]
    assert (event.starts_at, event.ends_at) == slot
    assert poll.closed_at is not None
    # The event's notice waits for more changes for a few minutes, then goes.
    going = mailbox.after(timedelta(minutes=11), people.members[0])[-1]
    assert going["Subject"] == "New time for Picnic"
    results = html(owner.get(f"/polls/{poll_id}/results"))
    assert results.count("The event's date") == 1 and "(final)" in results
    # The slot that is the date now says so, and offers no move to where the event is.
    page = html(owner.get(f"/polls/{poll_id}"))
    assert page.count(schedule_url(poll_id, second)) == 0
    assert all(schedule_url(poll_id, other) in page for other in setup[3] if other != second)


def test_an_rsvp_deadline_after_the_new_start_is_refused_and_nothing_changes(app, setup):
    people, event_id, poll_id, (first, _, _) = setup
    with app.app_context():
        event = db.session.get(Event, event_id)
        # The slots are ten days away or more: a deadline in eleven days comes after the first.
        event.starts_at, event.ends_at = (event.starts_at + timedelta(days=5),) * 2
        event.ends_at += timedelta(hours=2)
        event.rsvp_deadline = event.starts_at - timedelta(hours=1)
        db.session.commit()
    before, _ = stored(app, event_id, poll_id)
    owner = logged_in(app, people.owner)

    response = owner.submit(schedule_url(poll_id, first))

    assert response.status_code == 422
    assert "The RSVP deadline must be no later than the start." in form_errors(response)
    event, poll = stored(app, event_id, poll_id)
    assert (event.starts_at, event.ends_at) == (before.starts_at, before.ends_at)
    assert poll.closed_at is None


def test_a_cancelled_events_date_stays(app, setup):
    people, event_id, poll_id, (first, _, _) = setup
    with app.app_context():
        db.session.get(Event, event_id).status = EventStatus.CANCELLED
        db.session.commit()
    owner = logged_in(app, people.owner)
    assert "Set the event's date" not in html(owner.get(f"/polls/{poll_id}"))

    response = owner.submit(schedule_url(poll_id, first))

    assert response.status_code == 422
    assert "This event is cancelled: it can no longer be changed." in form_errors(response)
    assert stored(app, event_id, poll_id)[1].closed_at is None


def test_only_a_slot_of_this_date_poll_can_be_the_date(app, setup):
    people, event_id, poll_id, _ = setup
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        event = db.session.get(Event, event_id)
        other = make_poll(group, event=event, slots=slots_from_now(2, days=20))
        plain = make_poll(group, event=event)
        foreign, plain_option, plain_id = option_ids(other)[0], option_ids(plain)[0], plain.id
    owner = logged_in(app, people.owner)
    assert owner.submit(schedule_url(poll_id, foreign)).status_code == 404
    assert owner.submit(schedule_url(plain_id, plain_option)).status_code == 404
    assert stored(app, event_id, poll_id)[1].closed_at is None


def test_after_the_date_is_set_nobody_votes_any_more(app, setup):
    people, _, poll_id, (first, _, _) = setup
    owner = logged_in(app, people.owner)
    assert owner.submit(schedule_url(poll_id, first)).status_code == 303
    member = logged_in(app, people.members[1])
    response = member.submit(f"/polls/{poll_id}/vote", {f"slot-{first}": "yes"})
    assert response.status_code == 422
    assert "This poll is closed" in html(response)


def test_setting_the_date_draws_on_the_event_notices_limit(app, setup, monkeypatch):
    """It mails the people who answered the event, as an organiser's edit of it does."""
    people, event_id, poll_id, (first, second, _) = setup
    monkeypatch.setitem(app.config, "RATE_LIMIT_EVENT_NOTICES", "1 per minute")
    owner = logged_in(app, people.owner)
    assert owner.submit(schedule_url(poll_id, first)).status_code == 303
    assert_too_many(owner.submit(schedule_url(poll_id, second)))
    event, _ = stored(app, event_id, poll_id)
    assert event.starts_at == slots_from_now(3)[0][0]


def subjects_to(mailbox, email):
    return [m["Subject"] for m in mailbox.messages(email)]


def test_the_voters_are_told_of_the_date_once_each(app, mailbox, setup):
    """A voter going to the event hears of the new time from the event's own notice; the
    other voters get the poll's email instead of its result; nobody gets a second one."""
    people, event_id, poll_id, (_, second, _) = setup
    going, other = people.members
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        for user_id in people.member_ids:
            vote(db.session.get(User, user_id), poll, slot_answers={second: "yes"})
    mailbox.messages()
    mailbox.listener.clear()
    owner = logged_in(app, people.owner)

    assert owner.submit(schedule_url(poll_id, second)).status_code == 303
    assert owner.submit(schedule_url(poll_id, second)).status_code == 303  # a double click

    mailbox.after(timedelta(minutes=11))  # the event's notice waits for more changes
    assert subjects_to(mailbox, going) == ["New time for Picnic"]
    poll = stored(app, event_id, poll_id)[1]
    with app.app_context():
        label = db.session.get(PollOption, second).label
    [message] = mailbox.messages(other)
    assert message["Subject"] == f"Date set: Picnic, {label}"
    text = mailbox.text(message).replace("\r\n", "\n")
    assert f"The date poll “{poll.question}” has set the date: Picnic is on {label}." in text
    assert f"See the event: http://localhost/events/{event_id}-picnic" in text
    assert "Most yes: " in text and "because you voted in this poll" in text
    assert subjects_to(mailbox, people.owner) == []
    with app.app_context():
        assert sweep_closed_polls() == 0
    assert len(mailbox.messages()) == 2


def test_a_new_date_tells_the_voters_again(app, mailbox, setup):
    """The poll closed and mailed its result before; a slot made the date later is news."""
    people, _, poll_id, (first, _, _) = setup
    with app.app_context():
        vote(db.session.get(User, people.member_ids[1]), db.session.get(Poll, poll_id), first)
    owner = logged_in(app, people.owner)
    owner.submit(f"/polls/{poll_id}/manage/close")
    assert [s.startswith("Poll closed:") for s in subjects_to(mailbox, people.members[1])] == [True]

    assert owner.submit(schedule_url(poll_id, first)).status_code == 303

    last = subjects_to(mailbox, people.members[1])[-1]
    assert last.startswith("Date set: Picnic, ")
