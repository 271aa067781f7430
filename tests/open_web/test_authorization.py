"""Who may read the public feeds, embedded lists and cards, and choose who may embed one: every
open_web route but robots.txt, the sitemaps and the icon (the same for everyone,
tests/test_authorization_everywhere.py) x every kind of person, for a public group and a
private one (tests/support/authz.py).

A feed, an embedded list or a card is public or does not exist: a private group's is a 404 for
its own members too (they subscribe to their own calendar feed, webapp/events/calendar/),
and the site's lists public groups alone (tests/open_web/feeds/test_feeds.py). Choosing
which websites may show a group's list is its organisers' (a private group has none)."""

from typing import NamedTuple

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.groups.factories import make_group
from tests.support.authz import assert_shared_cell, assert_table_covers, cases

PREFIXES = (
    "open_web.site_",
    "open_web.group_",
    "open_web.event_",
    "open_web.series_",
    "open_web.embedding",
)
WORLDS = ("public", "private")

# One status per role, in the order of ROLES:
# visitor outsider pending member cohost organiser owner admin
EVERYONE = "200 200 200 200 200 200 200 200"
NOBODY = "404 404 404 404 404 404 404 404"
ORGANISERS = "login 403 403 403 403 303 303 303"

TABLE = {
    # Filtered to the world's group, which it must be public to be.
    ("open_web.site_calendar", "GET"): (EVERYONE, NOBODY),
    # Of every public group: there, whatever the world's group is.
    ("open_web.site_atom", "GET"): (EVERYONE, EVERYONE),
    ("open_web.group_calendar", "GET"): (EVERYONE, NOBODY),
    ("open_web.group_atom", "GET"): (EVERYONE, NOBODY),
    ("open_web.group_embed", "GET"): (EVERYONE, NOBODY),
    ("open_web.site_embed", "GET"): (EVERYONE, EVERYONE),
    ("open_web.embedding", "POST"): (ORGANISERS, "login 404 404 403 403 404 404 404"),
    ("open_web.group_card", "GET"): (EVERYONE, NOBODY),
    ("open_web.event_card", "GET"): (EVERYONE, NOBODY),
    ("open_web.series_card", "GET"): (EVERYONE, NOBODY),
    # The events list's: the site's, whatever the world's group is.
    ("open_web.events_card", "GET"): (EVERYONE, EVERYONE),
}


class World(NamedTuple):
    slug: str
    event_id: int
    series_id: int


def build_world(kind):
    owner = make_user()
    group = make_group(owner, visibility=kind)
    event = make_event(group, title="Lantern walk")
    first_date = make_series(owner, group, title="Choir practice")
    return owner, group, World(group.slug, event.id, first_date.series_id)


REQUESTS = {
    ("open_web.site_calendar", "GET"): lambda w: (f"/events.ics?group={w.slug}", None),
    ("open_web.site_atom", "GET"): lambda w: ("/events.atom", None),
    ("open_web.group_calendar", "GET"): lambda w: (f"/groups/{w.slug}/events.ics", None),
    ("open_web.group_atom", "GET"): lambda w: (f"/groups/{w.slug}/events.atom", None),
    ("open_web.group_embed", "GET"): lambda w: (f"/groups/{w.slug}/embed", None),
    ("open_web.site_embed", "GET"): lambda w: ("/embed", None),
    ("open_web.embedding", "POST"): lambda w: (
        f"/groups/{w.slug}/manage/embedding",
        {"embed-framed_by": "listed", "embed-sites": "https://example.org"},
    ),
    ("open_web.group_card", "GET"): lambda w: (f"/groups/{w.slug}/card.png", None),
    ("open_web.event_card", "GET"): lambda w: (f"/events/{w.event_id}/card.png", None),
    ("open_web.series_card", "GET"): lambda w: (f"/series/{w.series_id}/card.png", None),
    ("open_web.events_card", "GET"): lambda w: ("/events/card.png", None),
}


def test_every_route_has_a_row(app):
    for prefix in PREFIXES:
        rows = {row: lines for row, lines in TABLE.items() if row[0].startswith(prefix)}
        assert_table_covers(app, prefix, rows, {row: REQUESTS[row] for row in rows})


@pytest.mark.parametrize(
    ("endpoint", "method", "kind", "role", "expected"), list(cases(TABLE, WORLDS, "open_web."))
)
def test_who_may_read_what(app, client, shared_world, endpoint, method, kind, role, expected):
    assert_shared_cell(
        app, client, shared_world, build_world, REQUESTS, endpoint, method, kind, role, expected
    )
