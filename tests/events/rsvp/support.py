"""Helpers for the RSVP tests: a group with members and an event, and the answers as rows."""

import contextlib
from typing import NamedTuple

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.engine_events import listening
from webapp.events.checkin.models import WalkIn
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db


class Setup(NamedTuple):
    event_id: int
    group_slug: str
    owner_email: str
    emails: list  # the members', in order
    user_ids: list


def event_with_members(members=3, **event_fields):
    """An owner's public group with `members` members, and a published event in a week.
    Call in an app context; returns ids and addresses (usable after it)."""
    owner = make_user()
    group = make_group(owner)
    people = [add_member(group, make_user()).user for _ in range(members)]
    event = make_event(group, **event_fields)
    return Setup(
        event.id,
        group.slug,
        owner.email,
        [person.email for person in people],
        [person.id for person in people],
    )


def answers(event_id):
    """{user_id: (answer, guests, ticket)} as stored."""
    rows = db.session.execute(
        sa.select(Rsvp.user_id, Rsvp.answer, Rsvp.guests, Rsvp.waitlist_ticket).where(
            Rsvp.event_id == event_id
        )
    )
    return {user_id: (answer, guests, ticket) for user_id, answer, guests, ticket in rows}


def waitlist(event_id):
    """User ids waiting, in line order."""
    return db.session.scalars(
        sa.select(Rsvp.user_id)
        .where(Rsvp.event_id == event_id, Rsvp.answer == Answer.WAITLISTED)
        .order_by(Rsvp.waitlist_ticket)
    ).all()


def going(event_id):
    return set(
        db.session.scalars(
            sa.select(Rsvp.user_id).where(Rsvp.event_id == event_id, Rsvp.answer == Answer.GOING)
        )
    )


def fresh_event(event_id):
    db.session.expire_all()
    return db.session.get(Event, event_id)


def assert_counters_match_rows(event_id):
    """The event's counters say what its rows say (the places taken: those going with their
    guests, and the walk-ins who take one), and the capacity holds."""
    event = fresh_event(event_id)
    rows = answers(event_id).values()
    by_answer = {answer: [(g, t) for a, g, t in rows if a == answer] for answer in Answer}
    assert event.going_count == len(by_answer[Answer.GOING])
    walk_ins_taking = db.session.scalar(
        sa.select(sa.func.count()).where(WalkIn.event_id == event_id, WalkIn.takes_place)
    )
    assert event.places_taken == walk_ins_taking + sum(
        1 + guests for guests, _ in by_answer[Answer.GOING]
    )
    assert event.waitlist_count == len(by_answer[Answer.WAITLISTED])
    assert event.maybe_count == len(by_answer[Answer.MAYBE])
    assert event.capacity is None or event.places_taken <= event.capacity
    tickets = [ticket for _, ticket in by_answer[Answer.WAITLISTED]]
    assert len(set(tickets)) == len(tickets)
    assert all(ticket <= event.waitlist_tickets for ticket in tickets)
    for answer in (Answer.GOING, Answer.MAYBE, Answer.NOT_GOING):
        assert all(ticket is None for _, ticket in by_answer[answer])
    return event


@contextlib.contextmanager
def statements_run(app, commits=False):
    """The SQL statements sent while the block runs (requests included), as a list; with
    commits, each commit too, as "COMMIT"."""
    with app.app_context():
        engine = db.engine
    statements = []

    def record(connection, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def record_commit(connection):
        statements.append("COMMIT")

    with contextlib.ExitStack() as listeners:
        listeners.enter_context(listening(engine, "before_cursor_execute", record))
        if commits:
            listeners.enter_context(listening(engine, "commit", record_commit))
        yield statements


def held_under_the_lock(statements):
    """The statements sent while a row was locked (an event's, a poll's): after the one
    that locked it (and, on SQLite, read it again) up to the commit; and every statement
    from the lock on."""
    for index, statement in enumerate(statements):
        if "FOR UPDATE" in statement:
            locked = index + 1
            break
        if "SET id = id" in statement:  # SQLite: the write lock, then the row read again
            locked = index + 2
            break
    else:
        raise AssertionError("no row was locked")
    return statements[locked : statements.index("COMMIT", locked)], statements[locked:]


@contextlib.contextmanager
def redis_commands_asked(app):
    """The names of the commands (or pipelines) asked of the app's Redis while the block
    runs, as a list: the real Redis answers them."""
    real = app.extensions["redis"]
    counting = CountingRedis(real)
    app.extensions["redis"] = counting
    try:
        yield counting.asked
    finally:
        app.extensions["redis"] = real


class CountingRedis:
    """The app's Redis, with the name of every command (or pipeline) asked of it kept."""

    def __init__(self, real):
        self.real = real
        self.asked = []

    def __getattr__(self, name):
        self.asked.append(name)
        return getattr(self.real, name)
