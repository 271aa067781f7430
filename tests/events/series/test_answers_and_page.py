"""A series' page and its members' answers through HTTP: the page's coming dates with the
places each has left and its past dates apart; one date answered otherwise after "this and
every later date" (the standing answer stays, that date's place goes to the next in line);
leaving the group drops the coming answers and the standing one, and keeps the past.
The member who answered first has the higher id, so no test passes by the order of ids."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.series.factories import make_series
from tests.events.series.support import logged_in
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.database.times import utcnow
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.series.models import EventSeries, StandingAnswer
from webapp.extensions import db

GOING = {"answer": "going", "guests": "0"}


@pytest.fixture
def club(app):
    """A group of three members (made so the first to answer has the highest id) and a
    published weekly series of capacity 1 whose first date was two weeks ago."""
    with app.app_context():
        owner = make_user(time_zone="Europe/Madrid")
        group = make_group(owner, name="Tuesday Club")
        third, second, first = (add_member(group, make_user()).user for _ in range(3))
        event = make_series(owner, group, capacity=1, days_ahead=1)
        two_weeks_pass(event.series_id)
        dates = db.session.scalars(
            sa.select(Event).where(Event.series_id == event.series_id).order_by(Event.series_date)
        ).all()
        return {
            "slug": group.slug,
            "owner": owner.email,
            "first": first.email,
            "second": second.email,
            "third": third.email,
            "series_id": event.series_id,
            "dates": [(date.id, date.series_date) for date in dates],
            "ids": {"first": first.id, "second": second.id, "third": third.id},
        }


def two_weeks_pass(series_id):
    """The series' first dates are over: every date and the series two weeks earlier (a
    series cannot be started in the past)."""
    weeks = timedelta(weeks=2)
    for date in db.session.scalars(sa.select(Event).where(Event.series_id == series_id)):
        date.starts_at, date.ends_at = date.starts_at - weeks, date.ends_at - weeks
        date.series_date -= weeks
    db.session.get(EventSeries, series_id).first_date -= weeks
    db.session.commit()


def coming(club):
    today = utcnow().date()
    return [date_id for date_id, day in club["dates"] if day > today]


def answers_of(app, user_id):
    with app.app_context():
        return dict(
            db.session.execute(
                sa.select(Rsvp.event_id, Rsvp.answer).where(Rsvp.user_id == user_id)
            ).all()
        )


def section(page, heading_id):
    """The HTML of the page's section labelled by heading_id."""
    match = re.search(rf'aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def test_the_page_lists_coming_dates_with_places_left_and_past_ones_apart(app, club):
    next_date, after = coming(club)[:2]
    logged_in(app, club["first"]).submit(f"/events/{next_date}/rsvp", GOING)
    page = html(
        logged_in(app, club["second"]).get(f"/series/{club['series_id']}", follow_redirects=True)
    )

    coming_html, past_html = section(page, "coming-heading"), section(page, "past-heading")
    rows = re.findall(r'<a href="/events/(\d+)-[^"]*">.*?</li>', coming_html, re.S)
    assert [int(row) for row in rows] == coming(club)
    full_row = re.search(rf'href="/events/{next_date}-.*?</li>', coming_html, re.S).group(0)
    assert "Full: answering Going puts you on the waitlist." in full_row
    open_row = re.search(rf'href="/events/{after}-.*?</li>', coming_html, re.S).group(0)
    assert "1 place left" in open_row
    past = [date_id for date_id, day in club["dates"] if day <= utcnow().date() - timedelta(1)]
    assert past, "the fixture's series starts in the past"
    past_rows = [int(row) for row in re.findall(r'href="/events/(\d+)-', past_html)]
    # Latest first, none among the coming ones, and no places shown.
    assert past_rows == sorted(past, reverse=True) and not set(past_rows) & set(coming(club))
    assert "place left" not in past_html and "Full:" not in past_html


def test_one_date_answered_otherwise_keeps_the_standing_answer_and_frees_its_place(app, club):
    dates = coming(club)
    first, second = logged_in(app, club["first"]), logged_in(app, club["second"])
    assert first.submit(f"/events/{dates[0]}/series/going").status_code == 303
    assert second.submit(f"/events/{dates[0]}/series/going").status_code == 303
    assert answers_of(app, club["ids"]["second"])[dates[1]] == Answer.WAITLISTED

    response = first.submit(f"/events/{dates[1]}/rsvp", {"answer": "not_going", "guests": "0"})
    assert response.status_code == 303

    of_first, of_second = (
        answers_of(app, club["ids"]["first"]),
        answers_of(app, club["ids"]["second"]),
    )
    assert of_first[dates[1]] == Answer.NOT_GOING
    assert all(of_first[date] == Answer.GOING for date in dates if date != dates[1])
    assert of_second[dates[1]] == Answer.GOING  # promoted from the waitlist
    with app.app_context():
        standing = db.session.scalars(sa.select(StandingAnswer.user_id)).all()
    assert sorted(standing) == sorted([club["ids"]["first"], club["ids"]["second"]])
    page = html(first.get(f"/series/{club['series_id']}", follow_redirects=True))
    assert "You are going to every date from" in page


def test_leaving_the_group_drops_coming_answers_and_the_standing_one(app, club):
    past_date = club["dates"][0][0]
    leaver, stayer = logged_in(app, club["first"]), logged_in(app, club["third"])
    with app.app_context():
        # An answer to a date now past, kept as history.
        db.session.add(Rsvp(event_id=past_date, user_id=club["ids"]["first"], answer=Answer.GOING))
        db.session.commit()
    for client in (leaver, stayer):
        assert client.submit(f"/events/{coming(club)[0]}/series/going").status_code == 303

    response = leaver.submit(f"/groups/{club['slug']}/leave")
    assert response.status_code == 303, html(response)

    assert answers_of(app, club["ids"]["first"]) == {past_date: Answer.GOING}
    assert set(answers_of(app, club["ids"]["third"])) == set(coming(club))
    with app.app_context():
        standing = db.session.scalars(sa.select(StandingAnswer.user_id)).all()
    assert standing == [club["ids"]["third"]]
