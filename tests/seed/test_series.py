"""Seeded series: weekly dates that are events, the first series the big group's with its
dates answered, and every series shown once in the lists, by its next date."""

import itertools
import re

import pytest
import sqlalchemy as sa

from tests.seed.test_seed import SCALE
from tests.support.auth import html
from webapp.events.models import Event, EventListing
from webapp.events.series.models import EventSeries
from webapp.extensions import db
from webapp.seed import BIG_GROUP_SLUG
from webapp.seed.series import BIG_SERIES_ID, BIG_SERIES_SLUG, DATES_PER_SERIES


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed", "--scale", SCALE])
    assert result.exit_code == 0, result.output


def test_each_seeded_series_has_its_weekly_dates_and_shows_one(seeded, app_context):
    every = db.session.scalars(sa.select(EventSeries)).all()
    assert len(every) >= 10
    for series in every:
        dates = db.session.scalars(
            sa.select(Event).where(Event.series_id == series.id).order_by(Event.series_date)
        ).all()
        assert len(dates) == DATES_PER_SERIES
        assert {(b.series_date - a.series_date).days for a, b in itertools.pairwise(dates)} == {7}
        coming = [e for e in dates if not e.has_ended()]
        shown = [e for e in coming if e.listing != EventListing.HIDDEN]
        assert shown == coming[:1]
    big = db.session.get(EventSeries, BIG_SERIES_ID)
    assert big.group.slug == BIG_GROUP_SLUG
    assert db.session.scalar(
        sa.select(sa.func.sum(Event.going_count)).where(Event.series_id == BIG_SERIES_ID)
    )


def test_the_seeded_series_page_and_the_list_show_it(seeded, app):
    client = app.test_client()
    page = client.get(f"/series/{BIG_SERIES_ID}-{BIG_SERIES_SLUG}")
    assert page.status_code == 200
    # A visitor's list: the public groups' series, each once.
    listed = re.findall(r'href="/series/(\d+)-', html(client.get("/events")))
    assert listed
    assert len(listed) == len(set(listed))
