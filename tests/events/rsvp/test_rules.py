"""The RSVP rules, one transition at a time, called as services (webapp/events/rsvp/services.py)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.factories import make_event
from tests.events.rsvp.support import (
    Setup,
    answers,
    assert_counters_match_rows,
    event_with_members,
    fresh_event,
    going,
    waitlist,
)
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events import signals
from webapp.events.models import EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.queries import answer_and_place
from webapp.events.rsvp.services import (
    answer_event,
    promote_from_waitlist,
    remove_attendee,
    withdraw,
)
from webapp.extensions import db
from webapp.groups.models import Group, Membership


class Recorder:
    """Signal receipts: (signal name, user id, answer, previous)."""

    def __init__(self):
        self.seen = []

    def answered(self, event, rsvp, previous, **extra):
        self.seen.append(("answered", rsvp.user_id, rsvp.answer, previous))

    def promoted(self, event, rsvp, **extra):
        self.seen.append(("promoted", rsvp.user_id, rsvp.answer, None))


@pytest.fixture
def signals_seen():
    recorder = Recorder()
    with (
        signals.rsvp_answered.connected_to(recorder.answered),
        signals.rsvp_promoted.connected_to(recorder.promoted),
    ):
        yield recorder.seen


def act(setup, index, answer, guests=0):
    """Member index answers, and the unit of work commits."""
    user = db.session.get(User, setup.user_ids[index])
    event = fresh_event(setup.event_id)
    rsvp = answer_event(user, event, answer, guests)
    db.session.commit()
    return rsvp


def test_going_with_room_takes_places_for_the_person_and_guests(app_context, signals_seen):
    setup = event_with_members(2, capacity=10, guests_allowed=2)
    act(setup, 0, "going", guests=2)
    event = assert_counters_match_rows(setup.event_id)
    assert (event.going_count, event.places_taken) == (1, 3)
    assert signals_seen == [("answered", setup.user_ids[0], Answer.GOING, None)]


def test_going_to_a_full_event_joins_the_waitlist_with_the_next_ticket(app_context):
    setup = event_with_members(3, capacity=1)
    act(setup, 0, "going")
    act(setup, 1, "going")
    act(setup, 2, "going")
    event = assert_counters_match_rows(setup.event_id)
    assert going(setup.event_id) == {setup.user_ids[0]}
    assert waitlist(setup.event_id) == setup.user_ids[1:]
    assert event.waitlist_tickets == 2
    assert [answers(setup.event_id)[u][2] for u in setup.user_ids[1:]] == [1, 2]


def test_maybe_and_not_going_take_no_place(app_context):
    setup = event_with_members(2, capacity=1)
    act(setup, 0, "maybe")
    act(setup, 1, "not_going")
    event = assert_counters_match_rows(setup.event_id)
    assert (event.places_taken, event.maybe_count) == (0, 1)


def test_leaving_promotes_the_first_in_line(app_context, signals_seen):
    setup = event_with_members(3, capacity=1)
    # In line against the order of their ids (and of their rows): member 2, then 1.
    for index in (0, 2, 1):
        act(setup, index, "going")
    signals_seen.clear()
    act(setup, 0, "not_going")
    assert going(setup.event_id) == {setup.user_ids[2]}
    assert waitlist(setup.event_id) == [setup.user_ids[1]]
    assert signals_seen == [
        ("answered", setup.user_ids[0], Answer.NOT_GOING, Answer.GOING),
        ("promoted", setup.user_ids[2], Answer.GOING, None),
    ]
    assert_counters_match_rows(setup.event_id)


def test_the_line_goes_by_ticket_not_by_row_or_person(app_context, signals_seen):
    # Rows and people in one order (everyone answers maybe: 0, 1, 2, 3), the line in
    # another (going: 3 takes the place, then 1, 0, 2 wait), so neither the answer's id
    # nor the person's can stand in for the ticket.
    setup = event_with_members(4, capacity=1)
    for index in range(4):
        act(setup, index, "maybe")
    for index in (3, 1, 0, 2):
        act(setup, index, "going")
    ids = setup.user_ids
    assert places_shown(setup) == {ids[1]: 1, ids[0]: 2, ids[2]: 3}
    signals_seen.clear()

    act(setup, 3, "not_going")

    assert going(setup.event_id) == {ids[1]}
    assert ("promoted", ids[1], Answer.GOING, None) in signals_seen
    # What each person waiting sees on the event's page: their place, moved up by one.
    assert places_shown(setup) == {ids[0]: 1, ids[2]: 2}
    assert_counters_match_rows(setup.event_id)


def test_leaving_one_event_promotes_only_in_that_event(app_context, signals_seen):
    # The same people wait in the same order for two full events of one group, with
    # lower tickets in the first event's line than in the second's (two left the second
    # line and came back); one person leaving the second event moves only its line.
    setup = event_with_members(3, capacity=1)
    group = db.session.scalar(sa.select(Group).where(Group.slug == setup.group_slug))
    other = Setup(make_event(group, capacity=1).id, *setup[1:])
    db.session.commit()
    for index in range(3):
        act(other, index, "going")
        act(setup, index, "going")
    for answer in ("maybe", "going"):
        act(other, 1, answer)
        act(other, 2, answer)
    assert (
        answers(other.event_id)[setup.user_ids[1]][2]
        > answers(setup.event_id)[setup.user_ids[2]][2]
    )
    signals_seen.clear()

    act(other, 0, "not_going")

    ids = setup.user_ids
    assert (going(other.event_id), waitlist(other.event_id)) == ({ids[1]}, [ids[2]])
    assert (going(setup.event_id), waitlist(setup.event_id)) == ({ids[0]}, ids[1:])
    assert places_shown(setup) == {ids[1]: 1, ids[2]: 2}
    assert [seen[:2] for seen in signals_seen if seen[0] == "promoted"] == [("promoted", ids[1])]
    assert_counters_match_rows(setup.event_id)
    assert_counters_match_rows(other.event_id)


def places_shown(setup):
    """{user id: place in line} as the RSVP panel reads it for each person waiting."""
    event = fresh_event(setup.event_id)
    shown = {}
    for user_id in setup.user_ids:
        _, place = answer_and_place(db.session.get(User, user_id), event)
        if place is not None:
            shown[user_id] = place
    return shown


def test_changing_from_going_to_maybe_also_frees_the_place(app_context):
    setup = event_with_members(2, capacity=1)
    act(setup, 0, "going")
    act(setup, 1, "going")
    act(setup, 0, "maybe")
    assert going(setup.event_id) == {setup.user_ids[1]}
    event = assert_counters_match_rows(setup.event_id)
    assert (event.maybe_count, event.waitlist_count) == (1, 0)


def test_a_party_too_big_for_the_places_left_lets_a_smaller_one_behind_it_go_first(app_context):
    # Decided: "the first in line who fits". The bigger party keeps its ticket, so it
    # is considered first whenever places free.
    setup = event_with_members(4, capacity=4, guests_allowed=3)
    act(setup, 0, "going", guests=3)  # 4 places: full
    act(setup, 1, "going", guests=3)  # waits with 4
    act(setup, 2, "going")  # waits with 1
    act(setup, 0, "going", guests=1)  # frees 2: member 1 does not fit, member 2 does
    assert going(setup.event_id) == {setup.user_ids[0], setup.user_ids[2]}
    assert waitlist(setup.event_id) == [setup.user_ids[1]]
    act(setup, 0, "not_going")
    act(setup, 2, "not_going")  # now 4 free: the big party goes
    assert going(setup.event_id) == {setup.user_ids[1]}
    assert_counters_match_rows(setup.event_id)


def test_a_waitlisted_person_who_brings_fewer_guests_may_fit_at_once(app_context):
    setup = event_with_members(2, capacity=2, guests_allowed=2)
    act(setup, 0, "going")
    act(setup, 1, "going", guests=2)
    assert waitlist(setup.event_id) == [setup.user_ids[1]]
    act(setup, 1, "going", guests=0)
    assert going(setup.event_id) == set(setup.user_ids)


def test_changing_guests_on_the_waitlist_keeps_the_place_in_line(app_context):
    setup = event_with_members(3, capacity=1, guests_allowed=2)
    act(setup, 0, "going")
    act(setup, 1, "going", guests=1)
    act(setup, 2, "going")
    act(setup, 1, "going", guests=2)
    assert waitlist(setup.event_id) == setup.user_ids[1:]
    assert answers(setup.event_id)[setup.user_ids[1]] == (Answer.WAITLISTED, 2, 1)


def test_leaving_the_waitlist_and_coming_back_goes_to_the_end_of_the_line(app_context):
    setup = event_with_members(3, capacity=1)
    for index in range(3):
        act(setup, index, "going")
    act(setup, 1, "maybe")
    act(setup, 1, "going")
    assert waitlist(setup.event_id) == [setup.user_ids[2], setup.user_ids[1]]
    assert_counters_match_rows(setup.event_id)


def test_going_people_who_want_more_guests_than_there_is_room_keep_their_place(app_context):
    setup = event_with_members(2, capacity=3, guests_allowed=3)
    act(setup, 0, "going", guests=1)
    act(setup, 1, "going")
    with pytest.raises(RuleError) as refused:
        act(setup, 0, "going", guests=2)
    assert refused.value.field == "guests"
    assert "room for 1 guest" in refused.value.message
    db.session.rollback()
    assert answers(setup.event_id)[setup.user_ids[0]] == (Answer.GOING, 1, None)


def test_fewer_guests_free_places_for_the_waitlist(app_context):
    setup = event_with_members(2, capacity=3, guests_allowed=2)
    act(setup, 0, "going", guests=2)
    act(setup, 1, "going")
    act(setup, 0, "going", guests=1)
    assert going(setup.event_id) == set(setup.user_ids)
    assert_counters_match_rows(setup.event_id)


@pytest.mark.parametrize("guests", [-1, 3, 10**12])
def test_guests_beyond_what_the_event_allows_are_refused(app_context, guests):
    setup = event_with_members(1, capacity=10, guests_allowed=2)
    with pytest.raises(RuleError) as refused:
        act(setup, 0, "going", guests=guests)
    assert (refused.value.field, refused.value.message) == (
        "guests",
        "You can bring up to 2 guests.",
    )


def test_guests_are_dropped_for_maybe(app_context):
    setup = event_with_members(1, guests_allowed=2)
    act(setup, 0, "maybe", guests=2)
    assert answers(setup.event_id)[setup.user_ids[0]] == (Answer.MAYBE, 0, None)


def test_the_same_answer_twice_changes_nothing_and_signals_once(app_context, signals_seen):
    setup = event_with_members(1, capacity=5)
    first = act(setup, 0, "going")
    answered_at = first.answered_at
    again = act(setup, 0, "going")
    assert again.answered_at == answered_at
    assert len(signals_seen) == 1
    assert_counters_match_rows(setup.event_id)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": EventStatus.DRAFT}, "Answers open when the event is published."),
        ({"status": EventStatus.CANCELLED}, "This event is cancelled."),
        (
            {"rsvp_deadline": utcnow() - timedelta(minutes=1)},
            "Answers to this event are closed.",
        ),
        ({"starts_in": timedelta(minutes=-30)}, "Answers to this event are closed."),
    ],
)
def test_no_answers_once_closed(app_context, fields, message):
    setup = event_with_members(1, **fields)
    with pytest.raises(RuleError) as refused:
        act(setup, 0, "going")
    assert refused.value.message == message


def test_changing_the_answer_until_the_deadline(app_context):
    setup = event_with_members(1, rsvp_deadline=utcnow() + timedelta(hours=1))
    act(setup, 0, "going")
    act(setup, 0, "maybe")
    assert answers(setup.event_id)[setup.user_ids[0]][0] == Answer.MAYBE


def test_only_active_members_answer(app_context):
    setup = event_with_members(1)
    db.session.query(Membership).filter_by(user_id=setup.user_ids[0]).update({"status": "pending"})
    db.session.commit()
    with pytest.raises(RuleError, match="Only members of"):
        act(setup, 0, "going")


def test_withdraw_leaves_the_waitlist(app_context):
    setup = event_with_members(2, capacity=1)
    act(setup, 0, "going")
    act(setup, 1, "going")
    withdraw(db.session.get(User, setup.user_ids[1]), fresh_event(setup.event_id))
    db.session.commit()
    assert waitlist(setup.event_id) == []
    assert_counters_match_rows(setup.event_id)


def test_a_bigger_capacity_promotes_in_order(app_context, signals_seen):
    setup = event_with_members(4, capacity=1)
    for index in range(4):
        act(setup, index, "going")
    signals_seen.clear()
    event = fresh_event(setup.event_id)
    event.capacity = 3
    db.session.flush()
    # What the events work sends after it changes an event.
    signals.event_changed.send(event, changes={"capacity"})
    db.session.commit()
    assert going(setup.event_id) == set(setup.user_ids[:3])
    assert waitlist(setup.event_id) == [setup.user_ids[3]]
    assert [seen[1] for seen in signals_seen] == setup.user_ids[1:3]
    assert_counters_match_rows(setup.event_id)


def test_no_capacity_at_all_lets_everyone_in(app_context):
    setup = event_with_members(3, capacity=1)
    for index in range(3):
        act(setup, index, "going")
    event = fresh_event(setup.event_id)
    event.capacity = None
    db.session.flush()
    signals.event_changed.send(event, changes={"capacity", "title"})
    db.session.commit()
    assert going(setup.event_id) == set(setup.user_ids)
    assert_counters_match_rows(setup.event_id)


def test_other_changes_promote_nobody(app_context):
    setup = event_with_members(2, capacity=1)
    act(setup, 0, "going")
    act(setup, 1, "going")
    event = fresh_event(setup.event_id)
    signals.event_changed.send(event, changes={"title"})
    db.session.commit()
    assert waitlist(setup.event_id) == [setup.user_ids[1]]


def test_an_organiser_removing_someone_going_promotes_the_next(app_context, signals_seen):
    setup = event_with_members(3, capacity=1)
    for index in range(3):
        act(setup, index, "going")
    signals_seen.clear()
    owner = db.session.query(User).filter_by(email=setup.owner_email).one()
    rsvp_id = db.session.query(Rsvp.id).filter_by(user_id=setup.user_ids[0]).scalar()
    remove_attendee(owner, fresh_event(setup.event_id), rsvp_id)
    db.session.commit()
    assert going(setup.event_id) == {setup.user_ids[1]}
    assert answers(setup.event_id)[setup.user_ids[0]] == (Answer.NOT_GOING, 0, None)
    # The removed person did not answer: only the promotion is signalled.
    assert signals_seen == [("promoted", setup.user_ids[1], Answer.GOING, None)]
    with pytest.raises(RuleError, match="no longer on the list"):
        remove_attendee(owner, fresh_event(setup.event_id), rsvp_id)


def test_people_who_left_the_group_are_not_promoted(app_context):
    setup = event_with_members(3, capacity=1)
    for index in range(3):
        act(setup, index, "going")
    db.session.query(Membership).filter_by(user_id=setup.user_ids[1]).delete()
    db.session.commit()
    act(setup, 0, "not_going")
    assert going(setup.event_id) == {setup.user_ids[2]}
    assert waitlist(setup.event_id) == [setup.user_ids[1]]


def test_promote_from_waitlist_with_no_free_place_does_nothing(app_context):
    setup = event_with_members(2, capacity=1)
    act(setup, 0, "going")
    act(setup, 1, "going")
    assert promote_from_waitlist(fresh_event(setup.event_id)) == []
