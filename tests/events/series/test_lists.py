"""Lists show a series by its next date: /events (its search and its fragment), the home
page and the group's page, for a visitor, a member and the organiser. When the shown
date ends, is cancelled, deleted or moved, another takes its place; a group turned
private and public again keeps the later dates folded, and the week counts follow.

The fixtures differ from the rule on purpose: the weekly series is made after a second
series that starts later, so its dates have the higher ids, and a one-off event starts
between its first two dates."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.series.factories import make_series, series_details
from tests.events.test_search_walk import statements_of
from tests.events.test_week_counts import counted_weeks, recounted_weeks
from tests.groups.factories import add_member, make_group
from tests.support.auth import html, login_data
from webapp.events.models import Event, EventListing
from webapp.events.series.folding import fold_dates, sweep_series_folds
from webapp.events.series.models import EventSeries
from webapp.events.series.services import end_series_from
from webapp.events.services import cancel_event, delete_event, update_event
from webapp.events.times import to_local
from webapp.extensions import db

EVENT_LINK = re.compile(r'href="/events/(\d+)-')


@pytest.fixture
def club(app):
    """Public Tuesday Club: Olga owns it, Mina is a member. Quiz night (weekly, from ten
    days on) was made first; Board games (weekly, from three days on) after it; a
    picnic falls between Board games' first two dates."""
    with app.app_context():
        olga = make_user(email="olga@example.org", time_zone="Europe/Madrid")
        mina = make_user(email="mina@example.org", time_zone="Europe/Madrid")
        group = make_group(olga, name="Tuesday Club", slug="tuesday-club")
        add_member(group, mina)
        quiz = make_series(olga, group, title="Quiz night", days_ahead=10)
        games = make_series(olga, group, title="Board games", days_ahead=3)
        picnic = make_event(group, title="Picnic", starts_in=timedelta(days=5))
        db.session.commit()
        assert games.id > quiz.id
        return {
            "games": games.series_id,
            "quiz": quiz.series_id,
            "picnic": picnic.id,
        }


def dates(series_id):
    return db.session.scalars(
        sa.select(Event)
        .where(Event.series_id == series_id, Event.deleted_at.is_(None))
        .order_by(Event.starts_at)
        .execution_options(populate_existing=True)
    ).all()


def shown(app, series_id):
    """The ids of the series' dates the lists may show."""
    with app.app_context():
        return [e.id for e in dates(series_id) if e.listing != EventListing.HIDDEN]


def listed_ids(response):
    assert response.status_code == 200
    return [int(number) for number in EVENT_LINK.findall(html(response))]


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


# Each list as a page, and /events' results as the fragment its search and pager swap.
LISTS = [
    ("/events", False),
    ("/events", True),
    ("/events?q=board", False),
    ("/events?q=board", True),
    ("/", False),
    ("/groups/tuesday-club", False),
]


@pytest.mark.parametrize("who", [None, "mina@example.org", "olga@example.org"])
@pytest.mark.parametrize(("address", "as_fragment"), LISTS)
def test_each_list_shows_a_series_by_its_next_date(app, club, who, address, as_fragment):
    client = logged_in(app, who) if who else app.test_client()
    headers = {"HX-Request": "true"} if as_fragment else {}
    response = client.get(address, headers=headers)
    listed = listed_ids(response)
    with app.app_context():
        games, quiz = dates(club["games"]), dates(club["quiz"])
        assert len(games) > 5 and len(quiz) > 5
        every_games = {e.id for e in games}
        every_quiz = {e.id for e in quiz}
    assert [i for i in listed if i in every_games] == [games[0].id]
    if "q=" not in address:
        assert [i for i in listed if i in every_quiz] == [quiz[0].id]
        assert club["picnic"] in listed
        # Soonest first: the picnic sits between the games' first and second dates.
        assert listed.index(games[0].id) < listed.index(club["picnic"])
    page = html(response)
    assert f'href="/series/{club["games"]}-board-games"' in page
    assert "Every date of the series" in page


def test_the_next_date_is_shown_once_the_shown_one_ends(app, club):
    with app.app_context():
        first, second, third = dates(club["games"])[:3]
        series = db.session.get(EventSeries, club["games"])
        assert series.refold_at == first.ends_at
        # Not due before the first date ends, due after.
        assert sweep_series_folds(first.ends_at - timedelta(minutes=1)) == 0
        sweep_series_folds(first.ends_at + timedelta(minutes=1))
        db.session.expire_all()
        series = db.session.get(EventSeries, club["games"])
        assert series.refold_at == second.ends_at
        ids = (first.id, second.id, third.id)
    listed = shown(app, club["games"])
    # The ended date is no longer folded (the past list shows every date), the second is
    # shown, the third still folded.
    assert ids[0] in listed and ids[1] in listed and ids[2] not in listed


def test_a_cancelled_next_date_stays_listed_saying_so_beside_the_one_after(app, club):
    with app.app_context():
        first, second, third = dates(club["games"])[:3]
        cancel_event(first.created_by, first)
        db.session.commit()
        ids = (first.id, second.id, third.id)
    assert shown(app, club["games"]) == [ids[0], ids[1]]
    response = app.test_client().get("/events")
    listed = listed_ids(response)
    assert ids[0] in listed and ids[1] in listed and ids[2] not in listed
    assert "Cancelled" in html(response)


def test_a_deleted_next_date_gives_way_to_the_one_after(app, club):
    with app.app_context():
        first, second = dates(club["games"])[:2]
        delete_event(first.created_by, first)
        db.session.commit()
        second_id = second.id
    assert shown(app, club["games"]) == [second_id]
    assert second_id in listed_ids(app.test_client().get("/events"))


def test_a_date_moved_before_the_next_one_is_shown_instead(app, club):
    with app.app_context():
        first, second = dates(club["games"])[:2]
        local = to_local(first.starts_at, first.time_zone) - timedelta(days=1)
        update_event(
            first.created_by,
            second,
            replace(series_details(), starts_at=local, ends_at=local + timedelta(hours=2)),
        )
        db.session.commit()
        second_id = second.id
    assert shown(app, club["games"]) == [second_id]


def test_a_group_turned_private_and_public_again_keeps_later_dates_folded(app, club):
    with app.app_context():
        before = shown(app, club["games"])
        group = db.session.get(EventSeries, club["games"]).group
        group.visibility = "private"
        db.session.commit()
        assert shown(app, club["games"]) == before
        group.visibility = "public"
        db.session.commit()
    assert shown(app, club["games"]) == before
    assert len(before) == 1


def test_an_organiser_sees_one_draft_of_a_draft_series_on_the_groups_page(app, club):
    with app.app_context():
        games = db.session.get(EventSeries, club["games"])
        draft = make_series(games.created_by, games.group, title="Open mic", published=False)
        draft_dates = {e.id for e in dates(draft.series_id)}
        first_id = draft.id
    listed = listed_ids(logged_in(app, "olga@example.org").get("/groups/tuesday-club"))
    assert len(draft_dates) > 5
    assert [i for i in listed if i in draft_dates] == [first_id]


@pytest.mark.postgres
def test_the_week_counts_follow_the_folds(app, club):
    with app.app_context():
        assert counted_weeks() == recounted_weeks()
        first, second = dates(club["games"])[:2]
        cancel_event(first.created_by, first)
        delete_event(first.created_by, second)
        fold_dates(db.session.get(EventSeries, club["quiz"]), first.ends_at + timedelta(days=30))
        db.session.commit()
        assert counted_weeks() == recounted_weeks()


def test_ending_a_series_folds_its_dates_once_as_it_commits(app, club):
    """Ending the series from its third date cancels every date from there: their folds
    are worked out once, before the commit, not once a date."""
    with app.app_context():
        coming = dates(club["games"])
        third = coming[2]

        def end_and_commit():
            end_series_from(third.created_by, third)
            db.session.commit()

        _, ran = statements_of(end_and_commit)
        folds = [s for s in ran if s.lstrip().startswith("UPDATE events SET series_folded")]
        ids = [e.id for e in coming]
    assert len(ids) > 4 and len(folds) == 1, folds
    # The first date is shown; the second, and the cancelled ones after it, folded.
    assert shown(app, club["games"]) == ids[:1]
