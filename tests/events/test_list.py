"""/events: what a viewer may see, searched, filtered, ordered and paged; and the next
events on the group page and the home page."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.database.times import utcnow
from webapp.events.models import Event, EventStatus
from webapp.extensions import db


def titles(response):
    """Event titles of the list's cards, in order."""
    return re.findall(r'<h2><a href="/events/\d+-[^"]*">([^<]+)</a></h2>', html(response))


@pytest.fixture
def events(app):
    """Public Walkers and private Quiet Club (Mina in both), with events of every kind."""
    with app.app_context():
        owner = make_user(email="owner@example.org")
        mina = make_user(email="mina@example.org")
        make_user(email="outsider@example.org")
        make_user(email="admin@example.org", is_site_admin=True)
        walkers = make_group(owner, name="Walkers", slug="walkers")
        quiet = make_group(owner, name="Quiet Club", slug="quiet", visibility="private")
        gone = make_group(owner, name="Gone", slug="gone")
        for group in (walkers, quiet):
            add_member(group, mina)
        make_event(
            walkers, title="Picnic", description="Bring a Basket.", starts_in=timedelta(days=2)
        )
        make_event(walkers, title="Lantern walk", starts_in=timedelta(days=1))
        make_event(walkers, title="Rained off", status=EventStatus.CANCELLED)
        make_event(walkers, title="Secret plans", status=EventStatus.DRAFT)
        make_event(walkers, title="Deleted one", deleted_at=utcnow())
        make_event(walkers, title="Last spring", starts_in=-timedelta(days=200))
        make_event(walkers, title="Last week", starts_in=-timedelta(days=7))
        # Started an hour ago, ends in an hour: still upcoming, at the top.
        make_event(walkers, title="Happening now", starts_in=-timedelta(hours=1))
        make_event(quiet, title="Quiet dinner", starts_in=timedelta(days=3))
        make_event(gone, title="Orphan")
        gone.deleted_at = utcnow()
        db.session.commit()


def test_a_visitor_sees_public_upcoming_events_soonest_first(client, events):
    response = client.get("/events")

    assert response.status_code == 200
    assert titles(response) == ["Happening now", "Lantern walk", "Picnic", "Rained off"]


def test_past_events_come_newest_first(client, events):
    assert titles(client.get("/events?when=past")) == ["Last week", "Last spring"]


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("outsider@example.org", ["Happening now", "Lantern walk", "Picnic", "Rained off"]),
        (
            "mina@example.org",
            ["Happening now", "Lantern walk", "Picnic", "Quiet dinner", "Rained off"],
        ),
        (
            "admin@example.org",
            ["Happening now", "Lantern walk", "Picnic", "Quiet dinner", "Rained off"],
        ),
        # Organisers find drafts on the group page, never in the list.
        (
            "owner@example.org",
            ["Happening now", "Lantern walk", "Picnic", "Quiet dinner", "Rained off"],
        ),
    ],
)
def test_members_see_their_private_groups_events(client, auth, events, email, expected):
    auth.login(email)

    assert titles(client.get("/events")) == expected


def test_a_card_says_when_where_and_how_many(app, client):
    with app.app_context():
        group = make_group(make_user(), name="Walkers")
        make_event(
            group,
            title="Carols",
            status=EventStatus.CANCELLED,
            time_zone="Europe/Berlin",
            starts_at=datetime(2099, 12, 5, 17, 0, tzinfo=UTC),
            going_count=7,
        )

    page = html(client.get("/events"))

    # A visitor reads the site's clocks (UTC), and the event's beside them.
    assert (
        '<time datetime="2099-12-05T17:00+00:00">Sat 5 Dec 2099, 17:00 UTC</time>'
        " <small>(18:00 in Europe/Berlin, the event&#39;s time zone)</small>"
    ) in page
    assert ">Walkers</a>" in page
    assert '<span class="badge badge-alert">Cancelled</span>' in page
    assert "7 going" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("LANTERN", ["Lantern walk"]),
        ("walk", ["Lantern walk"]),
        ("basket", ["Picnic"]),  # in the description
        ("100%", []),  # % is taken literally
        ("dinner", []),  # a private group's event stays hidden from visitors
    ],
)
def test_search_is_case_insensitive_on_title_and_description(client, events, query, expected):
    assert titles(client.get("/events", query_string={"q": query})) == expected


def test_an_event_that_began_days_ago_is_listed_until_it_ends(app, client):
    """Searches and the home page begin their walk at the first event not yet over: one
    over since, between it and now, moves nothing."""
    with app.app_context():
        walkers = make_group(make_user(), name="Walkers", slug="walkers")
        make_event(
            walkers,
            title="Harvest fair",
            starts_in=-timedelta(days=20),
            duration=timedelta(days=25),
        )
        make_event(
            walkers, title="Flea fair", starts_in=-timedelta(days=10), duration=timedelta(hours=3)
        )
        make_event(walkers, title="Lantern fair", starts_in=timedelta(days=1))

    assert titles(client.get("/events", query_string={"q": "fair"})) == [
        "Harvest fair",
        "Lantern fair",
    ]
    home = html(client.get("/"))
    assert "Harvest fair" in home
    assert home.index("Harvest fair") < home.index("Lantern fair")
    assert "Flea fair" not in home


def test_a_search_finds_what_an_edit_wrote_and_no_longer_what_it_replaced(
    app, client, auth, events
):
    # The searched text is the database's own (a generated column, migration
    # 0019_event_search): an edit through the form must carry it along.
    with app.app_context():
        picnic = db.session.scalar(sa.select(Event).where(Event.title == "Picnic"))
    auth.login("owner@example.org")
    edit = f"/events/{picnic.id}/manage/edit"
    data = event_data(title="Yard sale", description="Bring a **Thermos**.")

    assert client.submit(edit, data).status_code == 303

    assert titles(client.get("/events?q=thermos")) == ["Yard sale"]
    assert titles(client.get("/events?q=basket")) == []
    assert titles(client.get("/events?q=picnic")) == []


def test_the_live_search_answers_htmx_with_the_results_alone(client, events):
    response = client.fragment("/events?q=picnic&when=upcoming")

    assert response.status_code == 200
    assert html(response).lstrip().startswith('<div id="event-results"')
    assert 'data-announce="1 event matches"' in html(response)
    assert "<h1>" not in html(response)
    assert "HX-Request" in response.headers["Vary"]


def test_the_search_form_works_without_javascript_and_keeps_the_filters(client, events):
    page = html(client.get("/events?when=past&group=walkers"))

    form = re.search(r'<form role="search".*?</form>', page, re.S).group(0)
    assert 'method="get" action="/events"' in form
    assert '<input type="hidden" name="when" value="past">' in form
    assert '<input type="hidden" name="group" value="walkers">' in form


def test_one_groups_events(client, auth, events):
    assert titles(client.get("/events?group=walkers&q=walk")) == ["Lantern walk"]
    assert "Events of Walkers" in html(client.get("/events?group=walkers"))
    assert client.get("/events?group=quiet").status_code == 404
    assert client.get("/events?group=nobody").status_code == 404
    assert client.get("/events?group=gone").status_code == 404
    auth.login("mina@example.org")
    assert titles(client.get("/events?group=quiet")) == ["Quiet dinner"]


def test_pages_of_events_keep_their_filters(app, client):
    with app.app_context():
        group = make_group(make_user(), name="Busy", slug="busy")
        for day in range(1, 6):
            make_event(group, title=f"Day {day}", starts_in=timedelta(days=day))

    first = client.get("/events?group=busy&per_page=2")
    third = client.get("/events?group=busy&per_page=2&page=3")
    beyond = client.get("/events?group=busy&per_page=2&page=99")

    assert titles(first) == ["Day 1", "Day 2"]
    assert titles(third) == ["Day 5"]
    assert titles(beyond) == ["Day 5"]
    following = re.search(r'href="([^"]+)" rel="next"', html(first)).group(1)
    assert following.startswith("/events?page=2&amp;group=busy&amp;per_page=2&amp;after=")
    assert "Page 1 of 3" in html(first)
    second = client.get(following.replace("&amp;", "&"))
    assert titles(second) == ["Day 3", "Day 4"]
    assert "Page 2 of 3" in html(second)


def test_junk_in_the_query_string_is_ignored(client, events):
    for query in ("when=sideways", "page=-3", "per_page=abc", "page=99999999999999999999"):
        assert client.get(f"/events?{query}").status_code == 200, query


def test_the_group_page_shows_the_next_events_and_drafts_to_organisers(client, auth, events):
    visitor = html(client.get("/groups/walkers"))
    assert "Lantern walk" in visitor
    assert "Secret plans" not in visitor
    assert "Last week" not in visitor
    assert 'href="/events?group=walkers"' in visitor
    assert "New event" not in visitor

    auth.login("owner@example.org")
    organiser = html(client.get("/groups/walkers"))
    assert "Secret plans" in organiser
    assert 'href="/groups/walkers/events/new" role="button">New event' in organiser


def test_the_home_page_shows_my_groups_events_or_public_ones(client, auth, events):
    anonymous = html(client.get("/"))
    assert "Lantern walk" in anonymous
    assert "Quiet dinner" not in anonymous

    auth.login("mina@example.org")
    mine = html(client.get("/"))
    assert "Quiet dinner" in mine
    assert "Secret plans" not in mine

    auth.logout()
    auth.login("outsider@example.org")
    assert "No upcoming events." in html(client.get("/"))
