"""Who may do what with series: every events.series route x every kind of person ->
status, for a published series of a public group, one of a private group, and a draft.

The harness is tests/support/authz.py (a refused request, or any GET, must leave every
table as it was). A series is seen as its dates are: by whoever sees the group, a draft
by its organisers alone. Answering "this and every later date" takes an active member;
a draft takes no answers yet (refused, with the reason, back on the date's page).
"""

from typing import NamedTuple

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases
from webapp.events.models import Event
from webapp.events.series.queries import series_slug
from webapp.extensions import db

PREFIXES = ("events.series.",)
WORLDS = ("public", "private", "draft")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin. The co-host co-hosts the
# series' second date alone: the series' page is as a member sees it, and a draft series
# (but that date) is hidden from them.
EVERYONE = "200 200 200 200 200 200 200 200"
MEMBERS_SEE = "404 404 404 200 200 200 200 200"
ORGANISERS_SEE = "404 404 404 404 404 200 200 200"
ANSWER = (
    "login 403 403 303 303 303 303 403",
    "login 404 404 303 303 303 303 403",
    "login 404 404 404 404 303 303 403",
)

# Ending the series from its second date: the group's organisers' (and site admins'), not
# the co-host's of that date (it ends the dates after it too).
MANAGE = (
    "login 403 403 403 403 200 200 200",
    "login 404 404 403 403 200 200 200",
    "login 404 404 404 403 200 200 200",
)

# (endpoint, method): statuses for a public group's series, a private group's, a draft.
TABLE = {
    ("events.series.detail", "GET"): (EVERYONE, MEMBERS_SEE, ORGANISERS_SEE),
    ("events.series.calendar", "GET"): (EVERYONE, MEMBERS_SEE, ORGANISERS_SEE),
    ("events.series.going_from_here", "POST"): ANSWER,
    ("events.series.not_going_from_here", "POST"): ANSWER,
    ("events.series.end", "GET"): MANAGE,
    ("events.series.end", "POST"): tuple(line.replace("200", "303") for line in MANAGE),
}


class World(NamedTuple):
    series_id: int
    slug: str
    first_event_id: int
    second_event_id: int
    cohost_event_id: int  # the co-host's date (tests/support/authz.py): the second


def build_world(kind):
    """An owner's group and a weekly series of it, published unless a draft; a member."""
    owner = make_user()
    group = make_group(owner, visibility="private" if kind == "private" else "public")
    add_member(group, make_user())
    first = make_series(owner, group, published=kind != "draft")
    second = db.session.scalar(
        sa.select(Event.id)
        .where(Event.series_id == first.series_id, Event.id != first.id)
        .order_by(Event.series_date)
        .limit(1)
    )
    return owner, group, World(first.series_id, series_slug(first.series), first.id, second, second)


REQUESTS = {
    ("events.series.detail", "GET"): lambda w: (f"/series/{w.series_id}-{w.slug}", None),
    ("events.series.calendar", "GET"): lambda w: (f"/series/{w.series_id}/calendar.ics", None),
    ("events.series.going_from_here", "POST"): lambda w: (
        f"/events/{w.first_event_id}/series/going",
        {},
    ),
    ("events.series.not_going_from_here", "POST"): lambda w: (
        f"/events/{w.first_event_id}/series/not-going",
        {},
    ),
    ("events.series.end", "GET"): lambda w: (f"/events/{w.second_event_id}/series/end", None),
    ("events.series.end", "POST"): lambda w: (f"/events/{w.second_event_id}/series/end", {}),
}


def test_every_route_has_a_row(app):
    assert_table_covers(app, PREFIXES, TABLE, REQUESTS)


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"),
    list(cases(TABLE, WORLDS, "events.series.")),
)
def test_who_may_do_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
