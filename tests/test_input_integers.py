"""Whole numbers from the outside never reach the database unchecked.

An id in a URL outside PostgreSQL's integer (1..2147483647) is a 404; `page` and
`per_page` are read bounded on every page; an id chosen in a form is checked the same way.
Before, each of these was a 500 on PostgreSQL ("integer out of range").
"""

import re

import pytest

from tests.accounts.factories import make_user
from tests.events.support import event_data
from tests.groups.factories import make_group
from tests.polls.support import poll_data
from tests.support.crawl import int_arguments, path, request, routes
from tests.support.html_checks import by_id, elements, field_error
from webapp.audit.models import AuditEntry
from webapp.extensions import db

HOSTILE_IDS = ["2147483648", "99999999999999999999999999", "-1", "0", "abc", "1e3", "٣"]
HOSTILE_NUMBERS = [*HOSTILE_IDS, "1_0", " 2", "9" * 5000]


def login_or_not(client, auth, world, who):
    if who == "member":
        assert auth.login(world.owner_email).status_code == 303
    return client.csrf_token()


@pytest.mark.parametrize("who", ["member", "visitor"])
def test_an_id_outside_the_database_integer_is_a_404_on_every_route(app, client, auth, world, who):
    token = login_or_not(client, auth, world, who)
    checked, wrong = 0, []
    for rule, method in routes(app):
        for name in int_arguments(rule):
            for value in HOSTILE_IDS:
                url = path(rule, world, **{name: value})
                status = request(client, method, url, token, world.form_data()).status_code
                checked += 1
                if status != 404:
                    wrong.append(f"{method} {url}: {status}")
    assert checked, "no route takes an <int:...> id: the crawl found nothing to check"
    assert not wrong, "ids outside 1..2147483647 not answered 404:\n" + "\n".join(wrong)


def test_the_largest_database_integer_is_still_an_id(client, auth, world):
    auth.login(world.owner_email)

    response = client.get(f"/groups/{world.slug}/manage/members/2147483647/remove")

    assert response.status_code == 404  # reached the view, which found no such member
    ok = client.get(f"/groups/{world.slug}/manage/members/{world.member_id}/remove")
    assert ok.status_code == 200


@pytest.mark.parametrize("who", ["member", "visitor"])
def test_hostile_page_numbers_never_make_a_server_error(app, client, auth, world, who):
    login_or_not(client, auth, world, who)
    wrong = []
    for rule, method in routes(app):
        if method != "GET":
            continue
        for value in HOSTILE_NUMBERS:
            url = f"{path(rule, world)}?page={value}&per_page={value}"
            status = request(client, "GET", url).status_code
            if status >= 500:
                wrong.append(f"GET {url[:120]}: {status}")
    assert not wrong, "server errors from page/per_page:\n" + "\n".join(wrong)


@pytest.fixture
def many_groups(app):
    """45 public groups: three pages of 20."""
    with app.app_context():
        owner = make_user()
        for number in range(45):
            make_group(owner, name=f"Club {number:02d}")


def group_names(response):
    return re.findall(r">(Club \d\d)</a></h2>", response.get_data(as_text=True))


def pager_links(response):
    return [
        e
        for e in elements(response.get_data(as_text=True))
        if e.tag == "a" and "page=" in (e.attrs.get("href") or "")
    ]


@pytest.mark.usefixtures("many_groups")
def test_the_group_list_is_paged_with_an_accessible_pager(client):
    response = client.get("/groups?page=2")

    assert group_names(response) == [f"Club {n:02d}" for n in range(20, 40)]
    html = response.get_data(as_text=True)
    nav = [e for e in elements(html) if e.tag == "nav" and e.attrs.get("class") == "pagination"]
    assert nav[0].attrs["aria-label"] == "Pages of groups"
    current = [e for e in pager_links(response) if e.attrs.get("aria-current") == "page"]
    assert [e.attrs["href"] for e in current] == ["/groups?page=2"]
    hrefs = {e.attrs["href"] for e in pager_links(response)}
    assert "/groups?page=1" in hrefs
    # The next page's links name the last group shown, which that page follows.
    assert any(href.startswith("/groups?page=3&after=Club%2039~") for href in hrefs), hrefs


@pytest.mark.usefixtures("many_groups")
@pytest.mark.parametrize("page", ["4", "2147483648", "99999999999999999999"])
def test_a_page_past_the_end_shows_the_last_page(client, page):
    response = client.get(f"/groups?page={page}")

    assert response.status_code == 200
    assert group_names(response) == [f"Club {n:02d}" for n in range(40, 45)]


@pytest.mark.usefixtures("many_groups")
@pytest.mark.parametrize("page", ["0", "-3", "abc", "1_0", "٣"])
def test_a_page_that_is_not_a_page_number_shows_the_first_page(client, page):
    assert group_names(client.get(f"/groups?page={page}"))[:1] == ["Club 00"]


@pytest.mark.usefixtures("many_groups")
def test_per_page_is_honoured_capped_and_kept_in_the_pager_links(client):
    small = client.get("/groups?per_page=5&q=Club")
    huge = client.get("/groups?per_page=100000")

    assert len(group_names(small)) == 5
    assert pager_links(small)
    assert all("per_page=5" in e.attrs["href"] for e in pager_links(small))
    assert all("q=Club" in e.attrs["href"] for e in pager_links(small))
    assert len(group_names(huge)) == 45  # capped at 100, and 45 is all there is


def test_the_history_pages_through_its_events(app, client, auth):
    with app.app_context():
        owner = make_user(email="owner@example.org")
        group = make_group(owner)
        db.session.add_all(
            AuditEntry(
                group_id=group.id,
                actor_id=owner.id,
                action="settings_changed",
                subject_type="group",
                subject_id=group.id,
                data={},
            )
            for _ in range(120)
        )
        db.session.commit()
        slug = group.slug
    auth.login("owner@example.org")

    first = client.get(f"/groups/{slug}/manage/history")
    past_end = client.get(f"/groups/{slug}/manage/history?page=2147483648")

    assert first.status_code == past_end.status_code == 200
    assert by_id(first.get_data(as_text=True), "history")
    current = [e.attrs["href"] for e in pager_links(past_end) if e.attrs.get("aria-current")]
    assert current == [f"/groups/{slug}/manage/history?page=3"]


def test_a_huge_member_id_in_the_transfer_form_is_a_422_beside_the_field(client, auth, world):
    auth.login(world.owner_email)

    response = client.submit(
        f"/groups/{world.slug}/manage/transfer", {"transfer-new_owner": "2147483648"}
    )

    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "transfer-new_owner")


HUGE = "9" * 400


def test_a_number_past_any_range_in_a_form_is_a_422_beside_its_field(client, auth, world):
    """Every kind of form with a whole number (an event's places and guests, a poll's
    choices, how long a group keeps answers, an answer's guests): a number of hundreds of
    digits overflowed the range check (a float) and was a 500."""
    auth.login(world.owner_email)
    event = world.ids["event_id"]
    cases = [
        (f"/groups/{world.slug}/events/new", event_data(capacity=HUGE), "capacity"),
        (f"/events/{event}/manage/edit", event_data(guests_allowed=HUGE), "guests_allowed"),
        (f"/groups/{world.slug}/polls/new", poll_data(max_choices=HUGE), "max_choices"),
        (
            f"/groups/{world.slug}/manage/settings",
            {"name": "Walkers", "slug": world.slug, "answers_kept_days": HUGE},
            "answers_kept_days",
        ),
    ]
    for url, data, field in cases:
        response = client.submit(url, data)
        assert response.status_code == 422, url
        page = response.get_data(as_text=True)
        # Said beside the field. (An answer's guests: tests/events/rsvp/test_views.py.)
        assert re.search(rf'id="[\w-]*{field}-error"[^>]*>[^<]*That number is far too big', page), (
            url
        )
