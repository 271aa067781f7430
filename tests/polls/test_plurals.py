"""Counts on the poll pages read right for one and for several: votes, voters, and the
people whose votes a deletion takes along (the catalogue's plural forms, in English)."""

import pytest

from tests.polls.factories import make_poll, option_ids, vote
from tests.polls.support import group_with_people, logged_in
from tests.support.auth import html
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollChoice


@pytest.fixture
def people(app):
    with app.app_context():
        return group_with_people(2)


def poll_with_votes(app, people, voters, **fields):
    """A plain poll (Park, Pub) in which the first `voters` members chose Park."""
    with app.app_context():
        poll = make_poll(db.session.get(Group, people.group_id), **fields)
        park, _pub = option_ids(poll)
        for user_id in people.member_ids[:voters]:
            vote(db.session.get(User, user_id), db.session.get(Poll, poll.id), park)
        return poll.id


@pytest.mark.parametrize(
    ("voters", "counted", "voted", "deleted_with"),
    [
        (1, "1 vote (100%)", "1 person voted.", "the votes of 1 person,"),
        (2, "2 votes (100%)", "2 people voted.", "the votes of 2 people,"),
    ],
)
def test_counts_read_in_the_singular_for_one_and_the_plural_for_two(
    app, people, voters, counted, voted, deleted_with
):
    poll_id = poll_with_votes(app, people, voters)
    owner = logged_in(app, people.owner)

    page = html(owner.get(f"/polls/{poll_id}"))
    assert counted in page and voted in page
    assert "1 votes" not in page and "1 people" not in page
    assert deleted_with in html(owner.get(f"/polls/{poll_id}/manage/delete"))
    table = html(owner.get(f"/polls/{poll_id}/manage/votes"))
    assert f"{voted[:-1]} on “" in table


def test_a_closed_polls_voters_read_as_final_in_the_singular(app, people):
    poll_id = poll_with_votes(app, people, 1)
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/polls/{poll_id}/manage/close").status_code == 303

    assert "1 person voted (final)." in html(owner.get(f"/polls/{poll_id}"))


def test_at_most_one_choice_reads_in_the_singular(app, people):
    poll_id = poll_with_votes(app, people, 0, choice=PollChoice.MULTIPLE, max_choices=1)
    member = logged_in(app, people.members[0])
    with app.app_context():
        park, pub = option_ids(db.session.get(Poll, poll_id))

    refused = member.submit(f"/polls/{poll_id}/vote", {"option": [park, pub]}, htmx=True)

    assert refused.status_code == 422
    assert "Choose at most 1 option." in html(refused)
