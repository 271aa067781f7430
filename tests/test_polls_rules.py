"""The poll rules through HTTP, with bad input: what a new poll needs, who votes, for what,
until when, and a change of vote. Every refusal is a 422 with a message (beside its field
where it has one) and leaves nothing behind; the counters always say what the rows say."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.auth_helpers import field_error, form_errors, html
from tests.event_factories import make_event
from tests.event_forms import local
from tests.group_factories import make_group
from tests.poll_factories import make_poll, option_ids, slots_from_now, vote
from tests.poll_support import (
    assert_counters_match_rows,
    counts,
    group_with_people,
    logged_in,
    poll_data,
    the_poll,
    votes_of,
)
from webapp.accounts.models import User
from webapp.events.models import Event, EventStatus
from webapp.events.times import DAYS, MONTHS
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollChoice, PollKind, Vote, VoteAnswer
from webapp.timeutil import utcnow


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(2)


def new_poll(app, people, **overrides):
    """The owner submits the new-poll form; the response."""
    labels = overrides.pop("labels", ())
    owner = logged_in(app, people.owner)
    return owner.submit(f"/groups/{people.slug}/polls/new", poll_data(*labels, **overrides))


def poll_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Poll))


# -- Creating a poll


def day_text(days):
    """'Sat 5 Dec 2026': the day `days` from today, as the slot labels write it."""
    moment = datetime.now() + timedelta(days=days)
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def test_a_valid_poll_opens_with_its_options_in_order(app, people):
    response = new_poll(
        app, people, labels=("Park", "", "  The   old pub "), description="Bring <script>x</script>"
    )
    assert response.status_code == 303
    with app.app_context():
        poll = the_poll()
        assert response.location == f"/polls/{poll.id}"
        assert list(counts(poll.id)[0]) == ["Park", "The old pub"]
        assert (poll.kind, poll.choice, poll.max_choices) == ("plain", "single", None)
        assert "<script>" not in poll.description_html


@pytest.mark.parametrize("labels", [("Park",), ("Park", ""), ("", "  ")])
def test_fewer_than_two_options_are_refused(app, people, labels):
    response = new_poll(app, people, labels=labels)
    assert response.status_code == 422
    assert "Give at least 2 options to choose from." in html(response)
    assert poll_count(app) == 0


def test_the_same_option_twice_is_refused(app, people):
    response = new_poll(app, people, labels=("Park", "park"))
    assert response.status_code == 422
    assert "“park” is there twice" in html(response)


def test_a_closing_time_in_the_past_is_refused_beside_its_field(app, people):
    response = new_poll(app, people, closes_at=local(days=-1))
    assert response.status_code == 422
    assert field_error(response, "closes_at") == (
        "The closing time has passed already: choose a later one."
    )
    assert poll_count(app) == 0


def test_a_closing_time_ahead_is_kept_in_utc(app, people):
    assert new_poll(app, people, closes_at=local(days=3, hour=12)).status_code == 303
    with app.app_context():
        poll = the_poll()
        assert poll.closes_at > utcnow() + timedelta(days=2)
        assert poll.closes_at.astimezone(poll.zone).hour == 12


@pytest.mark.parametrize("most", ["3", "0"])
def test_a_maximum_of_choices_outside_the_options_is_refused(app, people, most):
    response = new_poll(app, people, choice="multiple", max_choices=most)
    assert response.status_code == 422
    assert field_error(response, "max_choices")
    assert poll_count(app) == 0


def test_a_single_choice_poll_keeps_no_maximum(app, people):
    assert new_poll(app, people, max_choices="1").status_code == 303
    with app.app_context():
        assert the_poll().max_choices is None


def test_a_date_poll_takes_slots_in_time_order(app, people):
    data = {
        "kind": "date",
        "slots-0-starts_at": local(days=9, hour=18),
        "slots-0-ends_at": local(days=9, hour=20),
        "slots-1-starts_at": local(days=8, hour=18),
        "slots-1-ends_at": local(days=8, hour=20),
    }
    assert new_poll(app, people, **data).status_code == 303
    with app.app_context():
        poll = the_poll()
        assert (poll.kind, poll.choice) == (PollKind.DATE, PollChoice.MULTIPLE)
        first, second = counts(poll.id)[0]
        # The labels read on the poll's clocks, the earlier slot (in 8 days) first.
        assert first.startswith(day_text(8)) and second.startswith(day_text(9))
        assert "18:00" in first and first.endswith(("CET", "CEST"))


def test_a_slot_that_ends_before_it_starts_is_refused(app, people):
    data = {
        "kind": "date",
        "slots-0-starts_at": local(days=9, hour=18),
        "slots-0-ends_at": local(days=9, hour=17),
        "slots-1-starts_at": local(days=8, hour=18),
        "slots-1-ends_at": local(days=8, hour=20),
    }
    response = new_poll(app, people, **data)
    assert response.status_code == 422
    assert "Each slot must end after it starts." in html(response)


def test_a_poll_on_an_event_belongs_to_the_events_group(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), title="Picnic")
    owner = logged_in(app, people.owner)
    response = owner.submit(f"/events/{event.id}/polls/new", poll_data())
    assert response.status_code == 303
    with app.app_context():
        poll = the_poll()
        assert (poll.group_id, poll.event_id) == (people.group_id, event.id)


def test_a_cancelled_event_takes_no_new_poll(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), status=EventStatus.CANCELLED)
    owner = logged_in(app, people.owner)
    response = owner.submit(f"/events/{event.id}/polls/new", poll_data())
    assert response.status_code == 422
    assert "This event is cancelled: it takes no new polls." in form_errors(response)


# -- Voting


@pytest.fixture
def poll(app, people):
    with app.app_context():
        return make_poll(db.session.get(Group, people.group_id), labels=("Park", "Pub", "Beach"))


def ids_of(app, poll):
    with app.app_context():
        return option_ids(poll)


def test_a_vote_counts_and_a_changed_vote_moves_the_count(app, people, poll):
    park, pub, _ = ids_of(app, poll)
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll.id}/vote", {"option": park}).status_code == 303
    assert member.submit(f"/polls/{poll.id}/vote", {"option": pub}).status_code == 303
    with app.app_context():
        by_label, voters = assert_counters_match_rows(poll.id)
        assert by_label == {"Park": (0, 0), "Pub": (1, 0), "Beach": (0, 0)}
        assert voters == 1
        assert votes_of(poll.id) == {people.member_ids[0]: {"Pub": VoteAnswer.YES}}


def test_the_same_vote_again_changes_nothing_and_says_so(app, people, poll):
    park = ids_of(app, poll)[0]
    member = logged_in(app, people.members[0])
    member.submit(f"/polls/{poll.id}/vote", {"option": park})
    response = member.submit(f"/polls/{poll.id}/vote", {"option": park}, follow_redirects=True)
    assert "That was your vote already." in html(response)
    with app.app_context():
        assert assert_counters_match_rows(poll.id) == (
            {"Park": (1, 0), "Pub": (0, 0), "Beach": (0, 0)},
            1,
        )


def test_an_option_of_another_poll_is_refused(app, people, poll):
    with app.app_context():
        other = make_poll(db.session.get(Group, people.group_id), labels=("Red", "Blue"))
        foreign = option_ids(other)[0]
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", {"option": foreign})
    assert response.status_code == 422
    assert "That option is not in this poll" in html(response)
    with app.app_context():
        assert votes_of(poll.id) == {} and votes_of(other.id) == {}


@pytest.mark.parametrize("sent", [{}, {"option": "abc"}, {"option": "2147483648"}])
def test_no_option_or_a_malformed_one_is_refused(app, people, poll, sent):
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", sent)
    assert response.status_code == 422
    with app.app_context():
        assert votes_of(poll.id) == {}


def test_two_options_in_a_single_choice_poll_are_refused(app, people, poll):
    park, pub, _ = ids_of(app, poll)
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", {"option": [park, pub]})
    assert response.status_code == 422
    assert "Choose one option only." in html(response)


def test_several_choices_up_to_the_maximum(app, people):
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        poll = make_poll(group, labels=("A", "B", "C"), choice=PollChoice.MULTIPLE, max_choices=2)
        a, b, c = option_ids(poll)
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", {"option": [a, b, c]})
    assert response.status_code == 422
    assert "Choose at most 2 options." in html(response)
    assert member.submit(f"/polls/{poll.id}/vote", {"option": [a, b]}).status_code == 303
    assert member.submit(f"/polls/{poll.id}/vote", {"option": [b, c]}).status_code == 303
    with app.app_context():
        assert assert_counters_match_rows(poll.id) == ({"A": (0, 0), "B": (1, 0), "C": (1, 0)}, 1)


def test_a_date_poll_takes_an_answer_per_slot_and_no_for_the_rest(app, people):
    with app.app_context():
        poll = make_poll(db.session.get(Group, people.group_id), slots=slots_from_now(3))
        first, second, third = option_ids(poll)
    member = logged_in(app, people.members[0])
    answers = {f"slot-{first}": "yes", f"slot-{second}": "if_need_be"}
    assert member.submit(f"/polls/{poll.id}/vote", answers).status_code == 303
    with app.app_context():
        assert assert_counters_match_rows(poll.id) == (
            {"Slot 1": (1, 0), "Slot 2": (0, 1), "Slot 3": (0, 0)},
            1,
        )
        assert votes_of(poll.id)[people.member_ids[0]]["Slot 3"] == VoteAnswer.NO
    changed = {f"slot-{first}": "no", f"slot-{second}": "yes", f"slot-{third}": "yes"}
    assert member.submit(f"/polls/{poll.id}/vote", changed).status_code == 303
    with app.app_context():
        assert assert_counters_match_rows(poll.id)[0] == {
            "Slot 1": (0, 0),
            "Slot 2": (1, 0),
            "Slot 3": (1, 0),
        }


def test_a_date_poll_refuses_an_answer_that_is_not_one(app, people):
    with app.app_context():
        poll = make_poll(db.session.get(Group, people.group_id), slots=slots_from_now(2))
        first = option_ids(poll)[0]
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", {f"slot-{first}": "always"})
    assert response.status_code == 422
    assert "Answer each slot with yes, if need be or no." in html(response)


def test_someone_outside_the_group_cannot_vote(app, people, poll):
    park = ids_of(app, poll)[0]
    outsider = logged_in(app, people.outsider)
    assert outsider.submit(f"/polls/{poll.id}/vote", {"option": park}).status_code == 403
    with app.app_context():
        private = make_group(db.session.scalar(sa.select(User).limit(1)), visibility="private")
        hidden = make_poll(private)
        hidden_option = option_ids(hidden)[0]
    response = outsider.submit(f"/polls/{hidden.id}/vote", {"option": hidden_option})
    assert response.status_code == 404
    with app.app_context():
        assert votes_of(poll.id) == {} and votes_of(hidden.id) == {}


def test_a_vote_after_closing_by_hand_is_refused_with_a_clear_message(app, people, poll):
    park = ids_of(app, poll)[0]
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/polls/{poll.id}/manage/close").status_code == 303
    member = logged_in(app, people.members[0])
    response = member.submit(f"/polls/{poll.id}/vote", {"option": park})
    assert response.status_code == 422
    assert "This poll is closed: it takes no more votes or changes." in html(response)
    with app.app_context():
        assert votes_of(poll.id) == {}


def test_a_vote_after_the_closing_time_is_refused(app, people, poll):
    park = ids_of(app, poll)[0]
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll.id}/vote", {"option": park}).status_code == 303
    with app.app_context():
        db.session.get(Poll, poll.id).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    response = member.submit(f"/polls/{poll.id}/vote", {"option": ids_of(app, poll)[1]})
    assert response.status_code == 422
    assert "This poll is closed" in html(response)
    with app.app_context():
        assert counts(poll.id)[0]["Park"] == (1, 0)


def test_closing_twice_is_refused(app, people, poll):
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/polls/{poll.id}/manage/close").status_code == 303
    response = owner.submit(f"/polls/{poll.id}/manage/close")
    assert response.status_code == 422
    assert "This poll is already closed." in form_errors(response)


# -- Options of a poll that exists


def test_an_option_added_goes_last_and_a_duplicate_is_refused(app, people, poll):
    owner = logged_in(app, people.owner)
    url = f"/polls/{poll.id}/manage/options"
    assert owner.submit(url, {"new_option-label": "Lake"}).status_code == 303
    refused = owner.submit(url, {"new_option-label": "lake"})
    assert refused.status_code == 422
    assert field_error(refused, "new_option-label") == "“lake” is in the poll already."
    with app.app_context():
        assert list(counts(poll.id)[0]) == ["Park", "Pub", "Beach", "Lake"]


def test_a_blank_option_is_refused_beside_its_field(app, people, poll):
    owner = logged_in(app, people.owner)
    refused = owner.submit(f"/polls/{poll.id}/manage/options", {"new_option-label": "   "})
    assert refused.status_code == 422
    assert field_error(refused, "new_option-label") == "Type the option."


def test_an_option_someone_chose_stays_and_a_poll_keeps_two(app, people, poll):
    park, pub, beach = ids_of(app, poll)
    with app.app_context():
        vote(db.session.get(User, people.member_ids[0]), poll, park)
    owner = logged_in(app, people.owner)
    remove = f"/polls/{poll.id}/manage/options/{{}}/remove"
    chosen = owner.submit(remove.format(park), follow_redirects=True)
    assert "1 person chose “Park”: it stays in the poll." in html(chosen)
    assert owner.submit(remove.format(beach)).status_code == 303
    last_two = owner.submit(remove.format(pub), follow_redirects=True)
    assert "A poll keeps at least 2 options." in html(last_two)
    with app.app_context():
        assert list(counts(poll.id)[0]) == ["Park", "Pub"]


# -- What the database itself refuses, whatever a request does


def test_the_database_refuses_a_vote_for_another_polls_option(app, people, poll):
    with app.app_context():
        other = make_poll(db.session.get(Group, people.group_id))
        db.session.add(
            Vote(
                poll_id=poll.id,
                option_id=option_ids(other)[0],
                user_id=people.member_ids[0],
                choice=PollChoice.SINGLE,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("choice", [PollChoice.SINGLE, PollChoice.MULTIPLE])
def test_the_database_refuses_a_second_vote_in_a_single_choice_poll(app, people, poll, choice):
    """As a single choice, or passing itself off as a multiple one."""
    park, pub, _ = ids_of(app, poll)
    with app.app_context():
        member = people.member_ids[0]
        db.session.add(Vote(poll_id=poll.id, option_id=park, user_id=member, choice="single"))
        db.session.commit()
        db.session.add(Vote(poll_id=poll.id, option_id=pub, user_id=member, choice=choice))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_the_database_refuses_the_same_option_twice_in_a_multiple_choice_poll(app, people):
    with app.app_context():
        poll = make_poll(db.session.get(Group, people.group_id), choice=PollChoice.MULTIPLE)
        park = option_ids(poll)[0]
        for _ in range(2):
            db.session.add(
                Vote(
                    poll_id=poll.id, option_id=park, user_id=people.member_ids[0], choice="multiple"
                )
            )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_an_event_deleted_takes_its_polls_with_it_from_view(app, people):
    with app.app_context():
        group = db.session.get(Group, people.group_id)
        event = make_event(group)
        poll_id = make_poll(group, event=event).id
        db.session.get(Event, event.id).deleted_at = utcnow()
        db.session.commit()
    member = logged_in(app, people.members[0])
    assert member.get(f"/polls/{poll_id}").status_code == 404
