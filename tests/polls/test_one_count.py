"""A poll page counts the votes in one place, its results, which a vote's answer and the
results' live poll bring up to date: no other part of the page repeats a count that a
vote would leave stale (the organisers' list of slots to make an event once did)."""

import re

import pytest

from tests.events.factories import make_event
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.polls.support import group_with_people, logged_in
from tests.support.auth import html
from tests.support.html_checks import text_outside, top_level_ids
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll

# What a count of votes reads like on a poll page.
A_COUNT = re.compile(r"\b\d+ (yes|votes?|if need be|people voted|person voted)\b")


@pytest.fixture
def polls(app):
    """Two date polls of one group, one on an event, each with a member's vote already;
    and a plain poll, so that a count of another poll would be there to find."""
    with app.app_context():
        people = group_with_people(2)
        group = db.session.get(Group, people.group_id)
        member = db.session.get(User, people.member_ids[0])
        on_event = make_poll(group, event=make_event(group), slots=slots_from_now(3, days=20))
        by_group = make_poll(group, slots=slots_from_now(3))
        plain = make_poll(group, labels=("Park", "Pub"))
        for poll in (on_event, by_group):
            first, *_ = option_ids(poll)
            vote(member, poll, slot_answers={first: "yes"})
        vote(member, plain, option_ids(plain)[1])
        return people, {"event": on_event.id, "group": by_group.id, "plain": plain.id}


@pytest.mark.parametrize("kind", ["event", "group", "plain"])
def test_an_organisers_vote_leaves_no_count_on_the_page_unchanged(app, polls, kind):
    people, ids = polls
    poll_id = ids[kind]
    owner = logged_in(app, people.owner)
    page = html(owner.get(f"/polls/{poll_id}"))
    with app.app_context():
        options = option_ids(db.session.get(Poll, poll_id))
    data = (
        {"option": str(options[0])}
        if kind == "plain"
        else {f"slot-{option}": "yes" for option in options}
    )

    response = owner.submit(f"/polls/{poll_id}/vote", data, htmx=True)

    assert response.status_code == 200
    swapped = top_level_ids(html(response))
    assert f"poll-results-{poll_id}" in swapped
    left_alone = text_outside(page, swapped)
    assert not A_COUNT.search(left_alone), A_COUNT.search(left_alone)
