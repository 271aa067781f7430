"""Seeded polls: every sort of poll, counters that agree with the vote rows, and the big
poll the benchmark votes in, with members left to vote."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.seed.test_seed import SCALE, rows_in
from webapp.database.times import as_utc
from webapp.extensions import db
from webapp.seed import ANCHOR, BIG_GROUP_SLUG
from webapp.seed.polls import (
    BIG_POLL_ID,
    BIG_POLL_OPTIONS,
    BIG_POLL_QUESTION,
    BIG_POLL_VOTERS,
    POLLS,
    SHAPES,
    VOTE_RUSH,
)

polls = db.metadata.tables["polls"]
options = db.metadata.tables["poll_options"]
votes = db.metadata.tables["poll_votes"]


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output


def test_seeded_polls_are_of_every_sort(app, seeded, app_context):
    # POLLS x scale, never fewer than one of each sort, and the big one.
    assert rows_in(app, "polls") == 1 + max(len(SHAPES), round(POLLS * float(SCALE)))
    shapes = db.session.execute(
        sa.select(
            polls.c.kind, polls.c.choice, polls.c.event_id.is_not(None), polls.c.closed_at.is_(None)
        ).distinct()
    ).all()
    assert {tuple(shape) for shape in shapes} == set(SHAPES)


def test_seeded_counters_agree_with_the_vote_rows(seeded, app_context):
    counted = (
        sa.select(
            votes.c.option_id,
            sa.func.count().filter(votes.c.answer == "yes").label("yes"),
            sa.func.count().filter(votes.c.answer == "if_need_be").label("if_need_be"),
        )
        .group_by(votes.c.option_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            options.c.yes_count, options.c.if_need_be_count, counted.c.yes, counted.c.if_need_be
        ).select_from(options.outerjoin(counted, counted.c.option_id == options.c.id))
    ).all()
    assert sum(row.yes_count for row in rows) > 0
    assert [(r.yes_count, r.if_need_be_count) for r in rows] == [
        (r.yes or 0, r.if_need_be or 0) for r in rows
    ]
    voters = (
        sa.select(votes.c.poll_id, sa.func.count(sa.distinct(votes.c.user_id)).label("people"))
        .group_by(votes.c.poll_id)
        .subquery()
    )
    counts = db.session.execute(
        sa.select(polls.c.voter_count, voters.c.people).outerjoin(
            voters, voters.c.poll_id == polls.c.id
        )
    ).all()
    assert [row.voter_count for row in counts] == [row.people or 0 for row in counts]


def test_seeded_votes_are_what_the_voting_rules_store(seeded, app_context):
    """One option per voter of a single-choice poll, at most max_choices of a multiple one,
    every slot of a date poll answered; by members of the poll's group, while it was open."""
    per_voter = db.session.execute(
        sa.select(
            polls.c.kind,
            polls.c.choice,
            polls.c.max_choices,
            sa.func.count().label("votes"),
            sa.select(sa.func.count())
            .where(options.c.poll_id == polls.c.id)
            .scalar_subquery()
            .label("options"),
        )
        .join(votes, votes.c.poll_id == polls.c.id)
        .group_by(polls.c.id, votes.c.user_id)
    ).all()
    for row in per_voter:
        if row.kind == "date":
            assert row.votes == row.options
        elif row.choice == "single":
            assert row.votes == 1
        else:
            assert 1 <= row.votes <= (row.max_choices or row.options)
    memberships = db.metadata.tables["memberships"]
    strangers = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(votes.join(polls, polls.c.id == votes.c.poll_id))
        .where(
            ~sa.exists().where(
                memberships.c.group_id == polls.c.group_id,
                memberships.c.user_id == votes.c.user_id,
                memberships.c.status == "active",
            )
        )
    )
    assert strangers == 0
    for poll in db.session.execute(sa.select(polls)).all():
        ended = as_utc(poll.closed_at) if poll.closed_at else ANCHOR
        assert as_utc(poll.created_at) < ended <= ANCHOR
        if poll.closed_at is None and poll.closes_at is not None:
            assert as_utc(poll.closes_at) > ANCHOR + timedelta(days=364)  # open for long
        cast = db.session.scalars(sa.select(votes.c.voted_at).where(votes.c.poll_id == poll.id))
        assert all(as_utc(poll.created_at) <= as_utc(moment) <= ended for moment in cast)


def test_the_big_poll_is_open_with_votes_and_members_left_to_vote(seeded, app_context):
    big = db.session.execute(sa.select(polls).where(polls.c.id == BIG_POLL_ID)).one()
    groups = db.metadata.tables["groups"]
    memberships = db.metadata.tables["memberships"]
    assert big.question == BIG_POLL_QUESTION
    assert big.group_id == db.session.scalar(
        sa.select(groups.c.id).where(groups.c.slug == BIG_GROUP_SLUG)
    )
    assert (big.closed_at, big.closes_at, big.event_id) == (None, None, None)
    assert (big.choice, big.results_shown) == ("single", "at_once")
    assert big.voter_count == round(BIG_POLL_VOTERS * float(SCALE))
    labels = db.session.scalars(
        sa.select(options.c.label).where(options.c.poll_id == big.id).order_by(options.c.position)
    ).all()
    assert tuple(labels) == BIG_POLL_OPTIONS
    not_voted = db.session.scalar(
        sa.select(sa.func.count()).where(
            memberships.c.group_id == big.group_id,
            memberships.c.status == "active",
            ~sa.exists().where(votes.c.poll_id == big.id, votes.c.user_id == memberships.c.user_id),
        )
    )
    assert not_voted >= VOTE_RUSH


def test_every_seeded_poll_page_opens_for_a_visitor_where_its_group_is_public(app, seeded, client):
    groups = db.metadata.tables["groups"]
    with app.app_context():
        rows = db.session.execute(
            sa.select(polls.c.id, polls.c.question, groups.c.visibility).join(
                groups, groups.c.id == polls.c.group_id
            )
        ).all()
    assert any(row.visibility == "public" for row in rows)
    for row in rows:
        response = client.get(f"/polls/{row.id}")
        if row.visibility == "public":
            assert response.status_code == 200, row
            assert row.question in response.get_data(as_text=True)
        else:
            assert response.status_code == 404, row
