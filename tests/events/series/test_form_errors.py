"""A repeat rule that cannot make a series is refused through HTTP: 422, the message beside
its field, what was typed kept, and no series nor date made. The first date is a Tuesday
and the rules refused are near ones that would be accepted."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.series.support import logged_in, make_club, next_weekday, series_form
from tests.support.auth import field_error, input_value
from webapp.events.models import Event
from webapp.events.series.models import EventSeries
from webapp.extensions import db

FIRST = next_weekday(1)


@pytest.fixture
def club(app):
    return make_club(app, members=0)


def day(offset):
    return f"{FIRST + timedelta(days=offset):%Y-%m-%d}"


REFUSED = [
    pytest.param({"repeat_every": "0"}, "repeat_every", "From 1 to 12.", id="every-0"),
    pytest.param({"repeat_every": "13"}, "repeat_every", "From 1 to 12.", id="every-13"),
    pytest.param(
        {"repeat_weekdays": ["3", "4"]},
        "repeat_weekdays",
        "The first date is a Tuesday: choose that day too.",
        id="weekdays-without-the-first",
    ),
    pytest.param(
        {"repeat_ends": "until"}, "repeat_until", "Which day is the last?", id="until-missing"
    ),
    pytest.param(
        {"repeat_ends": "until", "repeat_until": day(0)},
        "repeat_until",
        "The series must end after its first date.",
        id="until-the-first-date",
    ),
    pytest.param(
        {"repeat_ends": "until", "repeat_until": day(6)},
        "repeat_until",
        "The rule gives only one date before it ends.",
        id="until-before-the-second-date",
    ),
    pytest.param(
        {"repeat_ends": "until", "repeat_until": day(366 * 10 + 3)},
        "repeat_until",
        "A series lasts at most 10 years.",
        id="until-past-ten-years",
    ),
    pytest.param({"repeat_ends": "count"}, "repeat_count", "How many dates?", id="count-missing"),
    pytest.param(
        {"repeat_ends": "count", "repeat_count": "1"},
        "repeat_count",
        "From 2 to 200 dates.",
        id="count-1",
    ),
    pytest.param(
        {"repeat_ends": "count", "repeat_count": "201"},
        "repeat_count",
        "From 2 to 200 dates.",
        id="count-201",
    ),
    pytest.param({"repeats": "YEARLY"}, "repeats", "Not a valid choice.", id="yearly"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSED)
def test_a_rule_that_cannot_make_a_series_is_refused_beside_its_field(
    app, club, changes, field, message
):
    organiser = logged_in(app, club["owner"])
    response = organiser.submit(
        f"/groups/{club['slug']}/events/new", series_form(FIRST, title="Quiz night", **changes)
    )
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert input_value(response, "title") == "Quiz night"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EventSeries)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"repeat_ends": "until", "repeat_until": day(7)}, id="until-the-second-date"),
        pytest.param({"repeat_ends": "count", "repeat_count": "2"}, id="two-dates"),
        pytest.param({"repeat_every": "12", "repeats": "MONTHLY"}, id="every-12-months"),
    ],
)
def test_the_nearest_rules_accepted_make_their_dates(app, club, changes):
    organiser = logged_in(app, club["owner"])
    response = organiser.submit(f"/groups/{club['slug']}/events/new", series_form(FIRST, **changes))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) >= 1
