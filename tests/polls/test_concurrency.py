"""Votes arriving at the same moment, over HTTP, each request in a thread of its own with
its own app context and database session, against PostgreSQL: one member clicking twenty
times (or in twenty tabs) votes once, and a hundred members voting at once are a hundred
votes with exact counts. Every request gets an ordinary answer, never a 500."""

import pytest

from tests.polls.factories import make_poll, option_ids
from tests.polls.support import assert_counters_match_rows, group_with_people, votes_of
from tests.support.races import logged_in_clients, post_at_once, tabs_of
from webapp import live
from webapp.database.redis_client import get_redis
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.changes import results_topic
from webapp.polls.models import Poll, PollChoice

# SQLite runs one write at a time, so the race cannot happen there.
pytestmark = pytest.mark.postgres

MEMBERS = 100
CLICKS = 20


@pytest.fixture
def one_member(app):
    with app.app_context():
        people = group_with_people(1)
        poll = make_poll(db.session.get(Group, people.group_id), labels=("Park", "Pub", "Beach"))
        return people, poll.id, option_ids(poll)


def test_twenty_clicks_on_the_same_option_make_one_vote(app, one_member):
    people, poll_id, (park, _, _) = one_member
    tabs = tabs_of(app, people.members[0], CLICKS)
    statuses = post_at_once(tabs, f"/polls/{poll_id}/vote", lambda i: {"option": park})
    assert statuses == [303] * CLICKS
    with app.app_context():
        by_label, voters = assert_counters_match_rows(poll_id)
        assert voters == 1
        assert by_label == {"Park": (1, 0), "Pub": (0, 0), "Beach": (0, 0)}


def test_twenty_tabs_voting_differently_leave_one_vote(app, one_member):
    people, poll_id, options = one_member
    tabs = tabs_of(app, people.members[0], CLICKS)
    statuses = post_at_once(
        tabs, f"/polls/{poll_id}/vote", lambda i: {"option": options[i % len(options)]}
    )
    assert statuses == [303] * CLICKS
    with app.app_context():
        by_label, voters = assert_counters_match_rows(poll_id)
        assert voters == 1
        assert sorted(yes for yes, _ in by_label.values()) == [0, 0, 1]
        assert len(votes_of(poll_id)[people.member_ids[0]]) == 1


@pytest.fixture
def crowd(app, monkeypatch):
    # A hundred logins from one test address: the login limit is not what this is about.
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "1000 per minute")
    with app.app_context():
        people = group_with_people(MEMBERS)
        poll = make_poll(
            db.session.get(Group, people.group_id),
            labels=("A", "B", "C"),
            choice=PollChoice.MULTIPLE,
        )
        poll_id, options = poll.id, option_ids(poll)
    return people, poll_id, options, logged_in_clients(app, people.members)


@pytest.mark.timeout(180)
def test_a_hundred_members_voting_at_once_are_a_hundred_votes_counted_exactly(app, crowd):
    people, poll_id, (a, b, c), clients = crowd
    with app.app_context():
        first_version = db.session.get(Poll, poll_id).results_version

    def ballot(index):
        """A if even, else B; and C for every fifth member too."""
        return {"option": [a if index % 2 == 0 else b] + ([c] if index % 5 == 0 else [])}

    statuses = post_at_once(clients, f"/polls/{poll_id}/vote", ballot)

    assert statuses == [303] * MEMBERS
    with app.app_context():
        by_label, voters = assert_counters_match_rows(poll_id)
        assert voters == MEMBERS
        assert by_label == {"A": (50, 0), "B": (50, 0), "C": (20, 0)}
        assert set(votes_of(poll_id)) == set(people.member_ids)
        # Each vote moved the results' version on once, and however their publications
        # crossed on the way to Redis, the live topic ends on the last.
        version = db.session.get(Poll, poll_id).results_version
        assert version == first_version + MEMBERS
        assert get_redis().hget(results_topic(poll_id), live.VERSION) == str(version).encode()
