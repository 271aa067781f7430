"""Helpers for the poll tests: a group with people in it, form data, and votes as rows."""

from collections import Counter
from typing import NamedTuple

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll, option_ids
from tests.support.auth import login_data
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.polls.models import Poll, PollOption, Vote, VoteAnswer


class People(NamedTuple):
    group_id: int
    slug: str
    owner: str
    members: list  # emails, in order
    member_ids: list
    outsider: str


def group_with_people(members=2, **group_fields):
    """An owner's group with members and an outsider (not in it); call in an app context."""
    owner = make_user()
    group = make_group(owner, **group_fields)
    people = [add_member(group, make_user()).user for _ in range(members)]
    return People(
        group.id,
        group.slug,
        owner.email,
        [person.email for person in people],
        [person.id for person in people],
        make_user().email,
    )


def poll_of_two_members(app):
    """A plain poll (Park, Pub) in a group of two members: (People, poll id, option ids)."""
    with app.app_context():
        people = group_with_people(2)
        poll = make_poll(db.session.get(Group, people.group_id))
        return people, poll.id, option_ids(poll)


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


def poll_data(*labels, **overrides):
    """A valid new-poll form: a plain single-choice poll with labels (Park and Pub)."""
    data = {
        "kind": "plain",
        "question": "Where do we meet?",
        "description": "",
        "choice": "single",
        "max_choices": "",
        "results_shown": "at_once",
        "closes_at": "",
        "time_zone": "Europe/Berlin",
    }
    for index, label in enumerate(labels or ("Park", "Pub")):
        data[f"options-{index}"] = label
    data.update(overrides)
    return data


def the_poll(question="Where do we meet?"):
    db.session.expire_all()
    return db.session.scalar(sa.select(Poll).where(Poll.question == question))


def counts(poll_id):
    """{label: (yes, if need be)} as the counters say, and the poll's voter count."""
    db.session.expire_all()
    options = db.session.scalars(
        sa.select(PollOption).where(PollOption.poll_id == poll_id).order_by(PollOption.position)
    )
    by_label = {o.label: (o.yes_count, o.if_need_be_count) for o in options}
    return by_label, db.session.get(Poll, poll_id).voter_count


def votes_of(poll_id):
    """{user_id: {option label: answer}} as stored."""
    rows = db.session.execute(
        sa.select(Vote.user_id, PollOption.label, Vote.answer)
        .join(PollOption, PollOption.id == Vote.option_id)
        .where(Vote.poll_id == poll_id)
    )
    found = {}
    for user_id, label, answer in rows:
        found.setdefault(user_id, {})[label] = answer
    return found


def assert_counters_match_rows(poll_id):
    """The counters say what the vote rows say."""
    by_label, voters = counts(poll_id)
    stored = votes_of(poll_id)
    assert voters == len(stored)
    tally = Counter(
        (label, answer) for answers in stored.values() for label, answer in answers.items()
    )
    for label, (yes, if_need_be) in by_label.items():
        assert yes == tally[label, VoteAnswer.YES], label
        assert if_need_be == tally[label, VoteAnswer.IF_NEED_BE], label
    return by_label, voters
