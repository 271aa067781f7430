"""Fifty members answering "this and every later date" at the same moment, over HTTP, each
request in a thread of its own, against PostgreSQL: on every date the places hold, and
every waitlist is in the order the answers arrived (the order of their tickets), the
same on every date, a date already full included. And the horizon's sweep run by several
workers at once makes each date once."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.rsvp.support import assert_counters_match_rows, going, waitlist
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group
from tests.support.races import logged_in_clients, post_at_once
from webapp.database.times import utcnow
from webapp.events.models import Event, EventListing
from webapp.events.rsvp.services import answer_event
from webapp.events.series.horizon import sweep_series_horizons
from webapp.events.series.models import StandingAnswer
from webapp.events.series.rules import RepeatRule
from webapp.extensions import db

pytestmark = pytest.mark.postgres

MEMBERS = 50
CAPACITY = 3
DATES = 4


@pytest.fixture
def crowd(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_LOGIN", "1000 per minute")
    monkeypatch.setitem(app.config, "RATE_LIMIT_PER_ADDRESS", "1000 per minute")
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        people = [add_member(group, make_user()).user for _ in range(MEMBERS)]
        first = make_series(owner, group, RepeatRule("WEEKLY", count=DATES), capacity=CAPACITY)
        series_id = first.series_id
        event_ids = db.session.scalars(
            sa.select(Event.id).where(Event.series_id == series_id).order_by(Event.series_date)
        ).all()
        # The second date is full before the rush: its three places taken by others.
        for early in (add_member(group, make_user()).user for _ in range(CAPACITY)):
            answer_event(early, db.session.get(Event, event_ids[1]), "going")
        db.session.commit()
        emails = [person.email for person in people]
    return series_id, event_ids, logged_in_clients(app, emails)


def test_fifty_at_once_to_every_date_of_a_series_with_a_full_one(app, crowd):
    series_id, event_ids, clients = crowd
    statuses = post_at_once(clients, f"/events/{event_ids[0]}/series/going", {})
    assert statuses == [303] * MEMBERS
    with app.app_context():
        arrived = db.session.scalars(
            sa.select(StandingAnswer.user_id)
            .where(StandingAnswer.series_id == series_id)
            .order_by(StandingAnswer.ticket)
        ).all()
        assert len(arrived) == MEMBERS == len(set(arrived))
        for index, event_id in enumerate(event_ids):
            assert_counters_match_rows(event_id)
            rushed_going = going(event_id) & set(arrived)
            if index == 1:
                # Full already: all fifty wait, in the order they came.
                assert rushed_going == set()
                assert waitlist(event_id) == arrived
            else:
                assert rushed_going == set(arrived[:CAPACITY])
                assert waitlist(event_id) == arrived[CAPACITY:]


SWEEPERS = 4


def test_sweeps_at_once_make_each_date_once_and_fold_it_once(app):
    """Four workers' sweeps at the same moment, a month on: each date of the month made
    once (the series' lock, and the events' unique date behind it), and the next listed."""
    with app.app_context():
        owner = make_user()
        first = make_series(owner, make_group(owner))
        series_id, made_before = first.series_id, len(dates_of_series(first.series_id))
    later = utcnow() + timedelta(days=30)
    barrier = threading.Barrier(SWEEPERS)
    errors = []

    def sweep():
        try:
            with app.app_context():
                barrier.wait()
                sweep_series_horizons(later)
        except Exception as error:  # noqa: BLE001 - the test reports every sweeper's error
            errors.append(error)

    threads = [threading.Thread(target=sweep) for _ in range(SWEEPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        made = dates_of_series(series_id)
        days = [event.series_date for event in made]
        assert len(days) == len(set(days)) > made_before
        # As the sweep saw it, a month on: the dates over by then listed each, of the
        # coming ones the next alone.
        coming = [e for e in made if e.ends_at > later]
        assert [e for e in coming if e.listing != EventListing.HIDDEN] == coming[:1]
        assert all(e.listing != EventListing.HIDDEN for e in made if e.ends_at <= later)


def dates_of_series(series_id):
    return db.session.scalars(
        sa.select(Event).where(Event.series_id == series_id).order_by(Event.series_date)
    ).all()
