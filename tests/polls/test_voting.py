"""The voting rules through HTTP, with bad input: an option of another poll, outsiders,
votes after closing, too many choices, and a change of vote; then what the database
refuses on its own, whatever a request does. Every refusal is a 422 with a message (or
403/404 for who may not vote) and leaves nothing behind; the counters always say what
the rows say."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.events.rsvp.support import held_under_the_lock, statements_run
from tests.groups.factories import make_group
from tests.polls.factories import make_poll, option_ids, slots_from_now
from tests.polls.support import (
    assert_counters_match_rows,
    counts,
    group_with_people,
    logged_in,
    votes_of,
)
from tests.support.auth import form_errors, html
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollChoice, Vote, VoteAnswer


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(2)


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


def test_a_changed_vote_moves_only_that_polls_votes(app, people, poll):
    # One person with votes in two polls of one group, and another voter in each: a
    # change of vote in one poll touches neither the other poll nor the other voter.
    with app.app_context():
        other = make_poll(db.session.get(Group, people.group_id), labels=("Tea", "Cake"))
    park, pub, _ = ids_of(app, poll)
    tea, cake = ids_of(app, other)
    first, second = (logged_in(app, email) for email in people.members[:2])
    for member, poll_id, option in (
        (first, other.id, tea),
        (second, other.id, cake),
        (second, poll.id, park),
        (first, poll.id, park),
    ):
        assert member.submit(f"/polls/{poll_id}/vote", {"option": option}).status_code == 303

    assert first.submit(f"/polls/{poll.id}/vote", {"option": pub}).status_code == 303

    with app.app_context():
        assert assert_counters_match_rows(poll.id) == (
            {"Park": (1, 0), "Pub": (1, 0), "Beach": (0, 0)},
            2,
        )
        assert assert_counters_match_rows(other.id) == ({"Tea": (1, 0), "Cake": (1, 0)}, 2)
        ids = people.member_ids
        assert votes_of(other.id) == {
            ids[0]: {"Tea": VoteAnswer.YES},
            ids[1]: {"Cake": VoteAnswer.YES},
        }
    # What the first voter sees on the other poll: still their own choice ticked.
    page = html(first.get(f"/polls/{other.id}"))
    assert re.search(rf'value="{tea}"[^>]*checked', page)
    assert not re.search(rf'value="{cake}"[^>]*checked', page)


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


def test_a_vote_holds_the_polls_lock_for_its_change_alone(app, people, poll):
    """A hundred votes at once queue for the poll's lock one after the other: under it run
    the poll read again, its options and the voter's votes, then one round of writes
    (the counters with the results' version, and the vote). The ballot and the results
    render after the commit."""
    park, pub, _ = ids_of(app, poll)
    logged_in(app, people.members[1]).submit(f"/polls/{poll.id}/vote", {"option": park})
    member = logged_in(app, people.members[0])
    headers = {"X-CSRFToken": member.csrf_token(), "HX-Request": "true"}
    with statements_run(app, commits=True) as statements:
        response = member.post(f"/polls/{poll.id}/vote", data={"option": pub}, headers=headers)
    assert response.status_code == 200
    assert "Your vote is saved." in html(response)

    held, from_the_lock = held_under_the_lock(statements)
    assert len(held) <= 5, held
    assert not any("SAVEPOINT" in statement for statement in held), held
    assert len([s for s in held if s.startswith("UPDATE polls")]) == 1, held
    rendered_after = [s for s in from_the_lock[len(held) + 1 :] if s != "COMMIT"]
    assert any("FROM poll_options" in statement for statement in rendered_after)
    with app.app_context():
        assert assert_counters_match_rows(poll.id) == (
            {"Park": (1, 0), "Pub": (1, 0), "Beach": (0, 0)},
            2,
        )


def test_a_vote_that_loses_to_another_insert_is_a_message_not_a_500(app, people, poll, monkeypatch):
    # The lock makes this impossible; should a second vote of one member ever reach the
    # insert, the unique constraint refuses it and they are told so, counters untouched.
    park, pub, _ = ids_of(app, poll)
    member = logged_in(app, people.members[0])
    assert member.submit(f"/polls/{poll.id}/vote", {"option": park}).status_code == 303
    monkeypatch.setattr("webapp.polls.voting.votes_of", lambda user, poll: {})
    response = member.submit(f"/polls/{poll.id}/vote", {"option": pub}, htmx=True)
    assert response.status_code == 422
    assert "Your vote was already being saved." in html(response)
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
        # Someone else's private group: an unordered LIMIT 1 could pick the outsider as owner.
        owner = db.session.scalar(sa.select(User).where(User.email == people.owner))
        private = make_group(owner, visibility="private")
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
