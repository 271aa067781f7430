"""Pages of a list: a bounded count, a pager that says "at least" when it stopped
counting, a page past the end that shows the last one, and the members table in pages."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.auth_helpers import html
from tests.event_factories import make_event
from tests.factories import make_user
from tests.group_factories import add_member, make_group
from webapp.extensions import db
from webapp.groups.models import Group


@pytest.fixture
def groups(app):
    """25 public groups named Group 01 .. Group 25."""
    with app.app_context():
        owner = make_user()
        for number in range(1, 26):
            make_group(owner, name=f"Group {number:02}")


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
def events_at_one_moment(app, request):
    """25 events of a public group that all start at the same moment, upcoming or past:
    which is before which is up to their ids alone (the list's last sort column)."""
    with app.app_context():
        group = make_group(make_user(), name="Choir")
        starts_in = timedelta(days=3) if request.param == "upcoming" else timedelta(days=-3)
        moment = make_event(group, title="Event 01", starts_in=starts_in).starts_at
        for number in range(2, 26):
            make_event(group, title=f"Event {number:02}", starts_at=moment)
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
