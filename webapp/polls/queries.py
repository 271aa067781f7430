"""Reads about polls that views (and other features' pages) need: each one query, however
many options and votes there are."""

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, load_only

from webapp.accounts.models import User
from webapp.database.prefetch import forget_when_written, prefetched
from webapp.database.setup import PREPARED, prepared
from webapp.database.times import utcnow
from webapp.events.access import known_to_have_none
from webapp.events.models import Event, EventStatus
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.groups.queries import active_groups_of
from webapp.polls.models import Poll, PollOption, Vote

LISTED = 10
forget_when_written("poll options", Poll, PollOption, Vote)


# Built once, their values bound at execution: every view of a poll reads its options,
# and building a statement anew cost more than running it.
_OPTIONS = (
    sa.select(PollOption)
    .where(PollOption.poll_id == sa.bindparam("poll_id"))
    .order_by(PollOption.position, PollOption.id)
    .execution_options(**{PREPARED: True})
)
_OPTIONS_WITH_ANSWERS = _OPTIONS.add_columns(Vote.answer).outerjoin(
    Vote,
    sa.and_(
        Vote.option_id == PollOption.id,
        Vote.poll_id == PollOption.poll_id,
        Vote.user_id == sa.bindparam("user_id"),
    ),
)


def options_of(poll):
    """The poll's options in order, with their counters."""
    return db.session.scalars(_OPTIONS, {"poll_id": poll.id}).all()


def options_and_answers(user, poll):
    """(the poll's options in order, {option_id: VoteAnswer} of user's votes in it ({} when
    they have not voted)): one query, or none when the poll was read with them."""
    if not user.is_authenticated:
        return options_of(poll), {}
    known = prefetched("poll options").get((user.id, poll.id))
    if known is not None:
        return known
    rows = db.session.execute(_OPTIONS_WITH_ANSWERS, {"poll_id": poll.id, "user_id": user.id})
    options, answers = [], {}
    for option, answer in rows:
        options.append(option)
        if answer is not None:
            answers[option.id] = answer
    return options, answers


class OptionsPrefetch:
    """For webapp.groups.access.ReadWithMembership: the poll's options in order, with the
    viewer's votes, read by the poll's own query (a row per option) and remembered as
    memberships are (webapp.database.prefetch)."""

    many = True

    @staticmethod
    def add(statement):
        mine = sa.and_(
            Vote.option_id == PollOption.id,
            Vote.poll_id == PollOption.poll_id,
            Vote.user_id == sa.bindparam("viewer_id"),
        )
        return (
            statement.add_columns(PollOption, Vote.answer)
            .outerjoin(PollOption, PollOption.poll_id == Poll.id)
            .outerjoin(Vote, mine)
            .order_by(PollOption.position, PollOption.id)
        )

    @staticmethod
    def remember(user, poll, rows):
        options, answers = [], {}
        for option, answer in rows:
            if option is None:  # a poll without options: its one row, joined to nothing
                continue
            options.append(option)
            if answer is not None:
                answers[option.id] = answer
        prefetched("poll options")[(user.id, poll.id)] = (options, answers)


def votes_by_voter(poll):
    """[(user, {option_id: VoteAnswer})] for everyone who voted, by name: who voted what."""
    votes = db.session.scalars(
        sa.select(Vote)
        .join(User, User.id == Vote.user_id)
        .options(contains_eager(Vote.user))
        .where(Vote.poll_id == poll.id)
        .order_by(sa.func.lower(User.first_name), sa.func.lower(User.last_name), User.id)
    )
    voters = {}
    for vote in votes:
        voters.setdefault(vote.user_id, (vote.user, {}))[1][vote.option_id] = vote.answer
    return list(voters.values())


# Built once, their values bound at execution (group_id or event_id, now, limit): the
# group's and the event's pages list their open polls on every view.
_OPEN_POLLS = (
    sa.select(Poll)
    .where(Poll.open_at(sa.bindparam("now")))
    .order_by(Poll.created_at.desc(), Poll.id.desc())
    .limit(sa.bindparam("limit"))
)
_OPEN_POLLS_OF_GROUP = _OPEN_POLLS.where(
    Poll.group_id == sa.bindparam("group_id"), Poll.event_id.is_(None)
)
_OPEN_POLLS_OF_EVENT = prepared(_OPEN_POLLS.where(Poll.event_id == sa.bindparam("event_id")))


def open_polls_of_group(group, limit=LISTED):
    """The group's open polls that are not on an event (those show on the event's page)."""
    values = {"group_id": group.id, "now": utcnow(), "limit": limit}
    return db.session.scalars(_OPEN_POLLS_OF_GROUP, values).all()


def open_polls_of_event(event, limit=LISTED):
    if known_to_have_none("open polls", event):
        return []
    values = {"event_id": event.id, "now": utcnow(), "limit": limit}
    return db.session.scalars(_OPEN_POLLS_OF_EVENT, values).all()


def _waiting_statement():
    viewer = sa.bindparam("user_id")
    voted = sa.exists().where(Vote.poll_id == Poll.id, Vote.user_id == viewer)
    on_listed_event = sa.exists().where(
        Event.id == Poll.event_id,
        Event.deleted_at.is_(None),
        Event.status == EventStatus.PUBLISHED,
    )
    # What the home page's list shows of each, and no more: a poll's description is text
    # of any length.
    shown = load_only(Poll.question, Poll.kind, Poll.closes_at, Poll.time_zone, raiseload=True)
    return (
        sa.select(Poll)
        .join(Group, Group.id == Poll.group_id)
        .options(shown, contains_eager(Poll.group).load_only(Group.name, Group.slug))
        .where(
            Group.listed(),
            Poll.group_id.in_(active_groups_of(viewer)),
            Poll.open_at(sa.bindparam("now")),
            ~voted,
            sa.or_(Poll.event_id.is_(None), on_listed_event),
        )
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id)
        .limit(sa.bindparam("limit"))
    )


# Built once, its values bound at execution: the home page asks on every visit. Kept with
# one plan (as the home page's events are): planning it cost more than running it, and a
# plan made for the values was no better, the member's groups being a query inside it.
_WAITING = prepared(_waiting_statement(), one_plan=True)


def polls_waiting_for(user, limit=5):
    """Open polls of the user's (live) groups they have not voted in, soonest to close
    first. A poll on an event counts while the event is published and not deleted."""
    values = {"user_id": user.id, "now": utcnow(), "limit": limit}
    return db.session.scalars(_WAITING, values).all()
