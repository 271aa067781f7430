"""Pages of a list: a bounded count, a pager that says "at least" when it stopped
counting, a page past the end that shows the last one, and the members table in pages."""

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.auth import html
from webapp.extensions import db
from webapp.groups.models import Group


@pytest.fixture
def groups(app, shared_world):
    """25 public groups named Group 01 .. Group 25 (the module's tests read them)."""

    def build():
        with app.app_context():
            owner = make_user()
            for number in range(1, 26):
                make_group(owner, name=f"Group {number:02}")

    shared_world.get("groups", build)


def names(response):
    return re.findall(r">(Group \d\d)</a></h2>", html(response))


def summary(response):
    return re.search(r'class="pager-summary">([^<]+)<', html(response)).group(1)


def test_the_first_page_says_at_least_when_it_stopped_counting(client, groups):
    response = client.get("/groups?per_page=2")
    assert names(response) == ["Group 01", "Group 02"]
    assert summary(response) == "Page 1 of at least 11"
    assert 'rel="next"' in html(response)
    # The last page is not linked: it is not known yet.
    assert "page=13" not in html(response)


def test_a_page_near_the_end_knows_the_end(client, groups):
    response = client.get("/groups?per_page=2&page=12")
    assert names(response) == ["Group 23", "Group 24"]
    assert summary(response) == "Page 12 of 13"
    assert client.get("/groups?per_page=2&page=13").status_code == 200
    assert names(client.get("/groups?per_page=2&page=13")) == ["Group 25"]


@pytest.mark.parametrize("page", ["14", "99", "1000000"])
def test_a_page_past_the_end_shows_the_last_page(client, groups, page):
    response = client.get(f"/groups?per_page=2&page={page}")
    assert response.status_code == 200
    assert names(response) == ["Group 25"]
    assert summary(response) == "Page 13 of 13"


def test_a_search_with_nothing_found_has_no_pager(client, groups):
    response = client.get("/groups?q=nothing-like-this&page=3")
    assert "No group matches" in html(response)
    assert "pager-summary" not in html(response)


def test_a_deleted_group_is_neither_listed_nor_counted(app, client, groups):
    with app.app_context():
        db.session.execute(
            sa.update(Group).where(Group.name == "Group 25").values(deleted_at=sa.func.now())
        )
        db.session.commit()
    response = client.get("/groups?per_page=2&page=13")
    assert names(response) == ["Group 23", "Group 24"]
    assert summary(response) == "Page 12 of 12"


@pytest.fixture(params=["upcoming", "past"])
def events_at_one_moment(app, request, shared_world):
    """25 events of a public group that all start at the same moment, upcoming or past:
    which is before which is up to their ids alone (the list's last sort column)."""

    def build():
        with app.app_context():
            group = make_group(make_user(), name="Choir")
            starts_in = timedelta(days=3) if request.param == "upcoming" else timedelta(days=-3)
            moment = make_event(group, title="Event 01", starts_in=starts_in).starts_at
            for number in range(2, 26):
                make_event(group, title=f"Event {number:02}", starts_at=moment)

    shared_world.get(("events at one moment", request.param), build)
    # Upcoming: soonest first, then by id; past: newest first, then by id backwards.
    titles = [f"Event {number:02}" for number in range(1, 26)]
    return request.param, titles if request.param == "upcoming" else titles[::-1]


def event_titles(response):
    return re.findall(r'<h2><a href="/events/\d+-[^"]*">([^<]+)</a></h2>', html(response))


@pytest.mark.parametrize(
    ("page", "shown", "said"),
    [
        (1, slice(0, 2), "Page 1 of at least 11"),
        (7, slice(12, 14), "Page 7 of 13"),
        (12, slice(22, 24), "Page 12 of 13"),
        (13, slice(24, 25), "Page 13 of 13"),
    ],
)
def test_pages_and_their_count_hold_through_ties(client, events_at_one_moment, page, shown, said):
    """A page's keys and its count come from one walk from its first row: events that
    start together are told apart by id, so each page shows the next ones and the
    count sees every one after them."""
    when, titles = events_at_one_moment
    response = client.get(f"/events?when={when}&per_page=2&page={page}")
    assert event_titles(response) == titles[shown]
    assert summary(response) == said


def next_link(response, rel="next"):
    """The Next (or Previous) link's address, as a browser follows it; None if none."""
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html(response))
    return found.group(1).replace("&amp;", "&") if found else None


def follow_next(client, address, rel="next"):
    """Every page from address on, by Next (or Previous) links: [(titles, summary)] for
    events."""
    pages = []
    while address:
        response = client.get(address)
        assert response.status_code == 200
        pages.append((event_titles(response), summary(response)))
        address = next_link(response, rel)
    return pages


def test_next_reads_on_from_the_last_row_shown(client, events_at_one_moment):
    """Each Next link names the key of the page's last event; the pages it leads to show
    the same events, with the same count, as the pages by number, ties and all."""
    when, titles = events_at_one_moment
    by_next = follow_next(client, f"/events?when={when}&per_page=2")
    by_number = [
        (event_titles(response), summary(response))
        for response in (
            client.get(f"/events?when={when}&per_page=2&page={page}") for page in range(1, 14)
        )
    ]
    assert by_next == by_number
    assert [title for shown, _ in by_next for title in shown] == titles
    second = client.get(f"/events?when={when}&per_page=2")
    assert "after=" in next_link(second)
    # Only the next page's links say where it starts: a page further on goes by number.
    assert re.search(r'href="/events\?page=3[^"]*after=', html(second)) is None


def test_previous_reads_back_from_the_first_row_shown(client, events_at_one_moment):
    """From the last page, each Previous link names the key of the page's first event;
    the pages it leads to are those by number, ties and all, back to the first."""
    when, titles = events_at_one_moment
    by_previous = follow_next(client, f"/events?when={when}&per_page=2&page=13", "prev")
    by_number = [
        (event_titles(response), summary(response))
        for response in (
            client.get(f"/events?when={when}&per_page=2&page={page}") for page in range(13, 0, -1)
        )
    ]
    assert by_previous == by_number
    assert [title for shown, _ in reversed(by_previous) for title in shown] == titles
    assert "before=" in next_link(client.get(f"/events?when={when}&per_page=2&page=3"), "prev")
    # The first page is the top of the list: its address needs no key.
    assert "before=" not in next_link(client.get(f"/events?when={when}&per_page=2&page=2"), "prev")


def test_an_event_added_at_the_top_meanwhile_shifts_neither_next_nor_previous(app, client):
    """Paged by number, the event added at the top pushed each page's rows on by one:
    page 3's last event showed again on page 4, and page 2 lost its first to page 1."""
    with app.app_context():
        group = make_group(make_user(), name="Choir")
        for day in range(2, 10):
            make_event(group, title=f"Day {day}", starts_in=timedelta(days=day))
        group_id = group.id
    third = client.get("/events?per_page=2&page=3")
    assert event_titles(third) == ["Day 6", "Day 7"]
    with app.app_context():
        make_event(db.session.get(Group, group_id), title="Day 1", starts_in=timedelta(days=1))
    assert event_titles(client.get(next_link(third))) == ["Day 8", "Day 9"]
    assert event_titles(client.get(next_link(third, "prev"))) == ["Day 4", "Day 5"]


def test_a_page_with_less_than_a_page_before_its_key_is_the_first(client, events_at_one_moment):
    """Events gone since the link was made (or a page number made up): the rows before
    the key do not fill a page, so the list starts there, as page 1."""
    when, titles = events_at_one_moment
    first = client.get(f"/events?when={when}&per_page=2")
    key = re.search(r"after=([^&]+)", next_link(first)).group(1)  # titles[1]'s: one before it
    response = client.get(f"/events?when={when}&per_page=2&page=9&before={key}")
    assert event_titles(response) == titles[:2]
    assert summary(response) == "Page 1 of at least 11"


def test_groups_read_on_from_a_name_that_holds_the_separator(app, client):
    """A group's key is its name and id: the name may hold "~", which also separates
    them, and any other character an address must quote."""
    names = ["A~1", "A~2 & co", "B #1", "B?c=d", "C/e", "Ça", "D 100%"]
    with app.app_context():
        owner = make_user()
        for name in names:
            make_group(owner, name=name)
    address, seen = "/groups?per_page=2", []
    assert "after=A~2%20%26%20co~" in next_link(client.get(address))
    while address:
        response = client.get(address)
        assert response.status_code == 200
        seen += re.findall(r'<h2><a href="/groups/[^"]+">([^<]+)</a></h2>', html(response))
        address = next_link(response)
    # Each once, in the database's order of names (its collation's).
    assert sorted(unescape(name) for name in seen) == sorted(names)


@pytest.mark.parametrize(
    "after",
    [
        "",
        "~",
        "~~",
        "yesterday~1",
        "2026-13-40T00:00Z~1",
        "2026-01-01T00:00~1",  # no zone: not an instant
        "0001-01-01T00:00+01:00~1",  # in UTC, before the calendar's first day
        "9999-12-31T23:59-01:00~1",
        "2026-01-01T00:00Z~",
        "2026-01-01T00:00Z~-1",
        "2026-01-01T00:00Z~2147483648",
        "2026-01-01T00:00Z~1~2",
        "2026-01-01T00:00Z~٣",
        "2026-01-01T00:00Z~" + "9" * 5000,
        "9" * 5000 + "~1",
        "<b>~1",
    ],
)
@pytest.mark.parametrize("side", ["after", "before"])
def test_a_key_that_does_not_parse_is_paged_by_number(client, events_at_one_moment, after, side):
    when, titles = events_at_one_moment
    response = client.get(
        "/events", query_string={"when": when, "per_page": 2, "page": 3, side: after}
    )
    assert response.status_code == 200
    assert event_titles(response) == titles[4:6]
    assert summary(response) == "Page 3 of at least 13"


def test_the_first_page_is_the_top_whatever_key_it_names(client, events_at_one_moment):
    when, titles = events_at_one_moment
    far = re.search(
        r"after=([^&]+)", next_link(client.get(f"/events?when={when}&per_page=2&page=9"))
    )
    response = client.get(f"/events?when={when}&per_page=2&page=1&after={far.group(1)}")
    assert event_titles(response) == titles[:2]


def test_a_key_past_the_end_shows_the_last_page(client, events_at_one_moment):
    when, titles = events_at_one_moment
    end = "9999-01-01T00:00Z~1" if when == "upcoming" else "1900-01-01T00:00Z~1"
    response = client.get(f"/events?when={when}&per_page=2&page=4&after={end}")
    assert event_titles(response) == titles[24:]
    assert summary(response) == "Page 13 of 13"


def test_a_search_reads_on_and_back_from_a_match_shown(app, client):
    with app.app_context():
        group = make_group(make_user(), name="Choir")
        for day in range(1, 10):
            make_event(
                group,
                title=f"{'Picnic' if day % 2 else 'Walk'} {day}",
                starts_in=timedelta(days=day),
            )
    pages = [
        # A search counts on to the next page only: from page 1 it has not seen the end.
        (["Picnic 1", "Picnic 3"], "Page 1"),
        (["Picnic 5", "Picnic 7"], "Page 2"),
        (["Picnic 9"], "Page 3 of 3"),
    ]
    assert follow_next(client, "/events?q=picnic&per_page=2") == pages
    assert follow_next(client, "/events?q=picnic&per_page=2&page=3", "prev") == pages[::-1]


@pytest.fixture
def picnics(app, shared_world):
    """Twelve upcoming events, all picnics but one, a day apart."""

    def build():
        with app.app_context():
            group = make_group(make_user(), name="Outdoors")
            for day in range(1, 13):
                title = "Walk" if day == 6 else f"Picnic {day:02}"
                make_event(group, title=title, starts_in=timedelta(days=day))

    shared_world.get("picnics", build)


def page_links(response):
    return re.findall(r'aria-label="Page (\d+)"', html(response))


@pytest.mark.parametrize(
    ("page", "said", "linked"),
    [
        (1, "Page 1", ["2"]),
        (3, "Page 3", ["1", "2", "4"]),
        # The eleventh match fills the count: whether a twelfth follows is not known.
        (5, "Page 5", ["1", "3", "4", "6"]),
        (6, "Page 6 of 6", ["1", "4", "5"]),
        # Past the end, the count from the top finds the end: the last page.
        (99, "Page 6 of 6", ["1", "4", "5"]),
    ],
)
def test_a_search_counts_on_to_the_next_page_only(client, picnics, page, said, linked):
    """Each match counted is an event's text read and matched: a search counts no further
    than the page after this one, and its pager says no more than it knows."""
    response = client.get(f"/events?q=picnic&per_page=2&page={page}")
    assert summary(response) == said
    assert page_links(response) == linked
    assert ('rel="next"' in html(response)) == (page < 6)
    if page >= 6:
        assert event_titles(response) == ["Picnic 12"]


def test_a_search_announces_as_many_matches_as_it_counted(client, picnics):
    first = client.get("/events?q=picnic&per_page=2")
    assert 'data-announce="More than 2 events match"' in html(first)
    last = client.get("/events?q=picnic&per_page=2&page=6")
    assert 'data-announce="11 events match"' in html(last)


@pytest.fixture
def club(app):
    """A group of an owner and 11 members, 3 of them asking to join."""
    with app.app_context():
        owner = make_user(first_name="Olga", last_name="Owner")
        group = make_group(owner)
        for number in range(1, 12):
            person = make_user(first_name="Member", last_name=f"M{number:02}")
            add_member(group, person, status="pending" if number > 8 else "active")
        return group.slug, owner.email


def member_names(response):
    return [
        name.strip()
        for name in re.findall(r"<tr id=\"member-\d+\">\s*<td[^>]*>([^<]+)<", html(response))
    ]


def test_members_come_a_page_at_a_time_with_requests_on_top(client, auth, club):
    slug, owner_email = club
    auth.login(owner_email)
    seen = []
    for page in (1, 2, 3):
        response = client.get(f"/groups/{slug}/manage/members?per_page=4&page={page}")
        assert response.status_code == 200
        assert html(response).count('id="request-') == 3
        assert "Members (9)" in html(response)
        seen += member_names(response)
    assert seen == ["Olga Owner"] + [f"Member M{n:02}" for n in range(1, 9)]
    assert 'aria-label="Pages of members"' in html(
        client.get(f"/groups/{slug}/manage/members?per_page=4")
    )


def test_the_member_search_is_paged_and_keeps_its_query(client, auth, club):
    slug, owner_email = club
    auth.login(owner_email)
    response = client.fragment(f"/groups/{slug}/manage/members?q=member&per_page=2")
    assert html(response).lstrip().startswith('<div id="members-table">')
    assert member_names(response) == ["Member M01", "Member M02"]
    assert "q=member" in re.search(r'href="([^"]+)" rel="next"', html(response)).group(1)
