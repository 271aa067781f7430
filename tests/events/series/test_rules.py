"""The rules of series, called directly: "this and following" edits, ending a series,
standing answers reaching the dates made later, and leaving the group. Fixtures differ
from the rules on purpose: the member who answered first has the higher user id, and
dates are edited out of their order."""

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.series.factories import make_series, series_details
from tests.groups.factories import add_member, make_group
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.series.horizon import fill_horizon
from webapp.events.series.models import StandingAnswer
from webapp.events.series.services import (
    answer_following,
    end_series_from,
    update_following,
)
from webapp.events.services import update_event
from webapp.events.times import to_local
from webapp.extensions import db
from webapp.groups.membership import leave_group


@pytest.fixture
def club(app_context):
    owner = make_user()
    group = make_group(owner)
    # Made in this order so that the later member has the lower id.
    late, early = make_user(), make_user()
    if late.id > early.id:
        late, early = early, late
    add_member(group, early)
    add_member(group, late)
    first = make_series(owner, group, capacity=1)
    return owner, group, first, early, late


def dates(series_id):
    return db.session.scalars(
        sa.select(Event).where(Event.series_id == series_id).order_by(Event.series_date)
    ).all()


def answers(event):
    return {
        rsvp.user_id: (rsvp.answer, rsvp.waitlist_ticket)
        for rsvp in db.session.scalars(sa.select(Rsvp).where(Rsvp.event_id == event.id))
    }


def at_hours(event, start, end, **changes):
    """The series' details for event's day, from start to end o'clock on its zone's clocks."""
    local = to_local(event.starts_at, event.time_zone)
    return replace(
        series_details(),
        starts_at=local.replace(hour=start),
        ends_at=local.replace(hour=end),
        **changes,
    )


def test_this_and_following_changes_later_dates_but_not_earlier_nor_detached_ones(club):
    owner, _group, first, _early, _late = club
    all_dates = dates(first.series_id)
    third, fifth = all_dates[2], all_dates[4]
    # The fifth date is moved alone first: an exception that "following" leaves be.
    update_event(owner, fifth, at_hours(fifth, 17, 18))
    update_following(owner, third, at_hours(third, 20, 23, venue="The Boathouse"))
    db.session.commit()
    after = dates(first.series_id)
    for event in after[:2]:
        assert (to_local(event.starts_at, event.time_zone).hour, event.venue) == (19, "The Lantern")
    for event in after[2:4] + after[5:]:
        local = to_local(event.starts_at, event.time_zone)
        assert (local.hour, event.venue, event.ends_at - event.starts_at) == (
            20,
            "The Boathouse",
            timedelta(hours=3),
        )
        assert not event.series_detached
    assert to_local(after[4].starts_at, after[4].time_zone).hour == 17
    assert after[4].venue == "The Lantern"
    # A date made later takes the new time and place too.
    series = first.series
    made = fill_horizon(series, utcnow() + timedelta(days=30))
    assert made
    assert all(
        (to_local(e.starts_at, e.time_zone).hour, e.venue) == (20, "The Boathouse") for e in made
    )


def test_following_from_a_date_moved_alone_keeps_it_on_its_day(club):
    owner, _group, first, _early, _late = club
    second, third = dates(first.series_id)[1:3]
    moved_to = to_local(second.starts_at, second.time_zone) + timedelta(days=1)
    update_event(
        owner,
        second,
        replace(series_details(), starts_at=moved_to, ends_at=moved_to + timedelta(hours=2)),
    )
    update_following(owner, second, at_hours(second, 18, 20, venue="The Boathouse"))
    db.session.commit()
    moved, after = dates(first.series_id)[1:3]
    local = to_local(moved.starts_at, moved.time_zone)
    assert (local.date(), local.hour, moved.venue) == (moved_to.date(), 18, "The Boathouse")
    assert not moved.series_detached
    local = to_local(after.starts_at, after.time_zone)
    assert (local.date(), local.hour, after.venue) == (third.series_date, 18, "The Boathouse")


def test_following_refuses_to_move_the_day(club):
    owner, _group, first, _early, _late = club
    details = series_details(days_ahead=4)
    with pytest.raises(RuleError) as refused:
        update_following(owner, first, details)
    assert refused.value.field == "starts_at"


def test_standing_answers_reach_dates_made_later_in_the_order_they_came(club):
    _owner, _group, first, early, late = club
    all_dates = dates(first.series_id)
    answer_following(early, all_dates[1])
    answer_following(late, all_dates[0])
    db.session.commit()
    series = first.series
    made = fill_horizon(series, utcnow() + timedelta(days=30))
    db.session.commit()
    assert made
    for event in made:
        got = answers(event)
        # Capacity 1: who answered first goes, the other waits.
        assert got[early.id][0] == Answer.GOING
        assert got[late.id][0] == Answer.WAITLISTED
    # On the first date, only the later one answered.
    assert answers(all_dates[0]) == {late.id: (Answer.GOING, None)}


def test_ending_the_series_cancels_or_deletes_the_dates_from_there(club):
    owner, _group, first, early, _late = club
    all_dates = dates(first.series_id)
    answer_following(early, all_dates[0])
    gone = end_series_from(owner, all_dates[3])
    db.session.commit()
    assert gone == len(all_dates) - 3
    after = dates(first.series_id)
    assert [e.status for e in after[:3]] == [EventStatus.PUBLISHED] * 3
    assert {e.status for e in after[3:]} == {EventStatus.CANCELLED}
    series = first.series
    assert series.complete
    assert "UNTIL=" in series.rule
    assert fill_horizon(series, utcnow() + timedelta(days=60)) == []
    with pytest.raises(RuleError):
        end_series_from(owner, all_dates[0])


def test_leaving_the_group_drops_coming_answers_and_standing_ones(club):
    _owner, group, first, early, late = club
    all_dates = dates(first.series_id)
    answer_following(early, all_dates[0])
    answer_following(late, all_dates[0])
    db.session.commit()
    leave_group(early, group)
    db.session.commit()
    assert (
        db.session.scalar(sa.select(StandingAnswer).where(StandingAnswer.user_id == early.id))
        is None
    )
    for event in dates(first.series_id):
        got = answers(event)
        assert early.id not in got
        # The place freed went to whoever waited.
        assert got[late.id][0] == Answer.GOING
        assert event.going_count == 1 and event.waitlist_count == 0
