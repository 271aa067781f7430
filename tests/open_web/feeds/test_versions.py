"""A feed answers 304 while nothing it shows changed, for one SQL statement (its version),
and serves a new reader the copy its process kept for the same one; every change it shows,
made through the pages that make it, moves it on at once, while an answer to an event
(which it does not show) leaves it alone."""

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.other_apps import app_like
from webapp.events.models import EventStatus
from webapp.extensions import db
from webapp.operations.bench import QUERY_COUNT_HEADER

FEEDS = ("/events.ics", "/events.atom", "/groups/walkers/events.ics", "/groups/walkers/events.atom")


@pytest.fixture
def walkers(app):
    """{"walk": its path, "draft": a draft's path, "group_id"}, of the public group Walkers (owner
    olu) among two other groups, a member (mia) and an admin (ada)."""
    with app.app_context():
        olu = make_user(email="olu@example.org")
        make_user(email="ada@example.org", is_site_admin=True)
        others = make_group(olu, name="Others", slug="others")
        walkers = make_group(olu, name="Walkers", slug="walkers")
        add_member(walkers, make_user(email="mia@example.org"))
        make_event(others, title="Other walk")
        walk = make_event(walkers, title="Canal walk", time_zone="Europe/Berlin")
        draft = make_event(walkers, title="Moon walk", status=EventStatus.DRAFT)
        db.session.commit()
        return {
            "walk": f"/events/{walk.id}",
            "draft": f"/events/{draft.id}",
            "group_id": walkers.id,
        }


def validators(client):
    """{feed: its ETag and Last-Modified} as each answers now."""
    found = {}
    for feed in FEEDS:
        response = client.get(feed)
        assert response.status_code == 200, feed
        found[feed] = (response.headers["ETag"], response.headers["Last-Modified"])
    return found


def test_an_unchanged_feed_answers_304_for_one_statement(app, monkeypatch, walkers):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        client = counting_app.test_client()
        for feed, (etag, last_modified) in validators(client).items():
            for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
                response = client.get(feed, headers=headers)
                assert response.status_code == 304, (feed, headers)
                assert response.data == b""
                assert response.headers["ETag"] == etag
                assert response.headers[QUERY_COUNT_HEADER] == "1", (feed, headers)
            # A new reader is sent the copy kept for this version: one statement too.
            fresh = counting_app.test_client().get(feed)
            assert fresh.status_code == 200 and fresh.headers["ETag"] == etag
            assert fresh.headers[QUERY_COUNT_HEADER] == "1", feed


def assert_moved(client, before, shown, *, gone=()):
    """Every feed answers afresh (200, a new ETag) to a reader holding before's, and shows
    shown (a text) unless it is one of gone, which answer 404."""
    for feed, (etag, _last_modified) in before.items():
        response = client.get(feed, headers={"If-None-Match": etag})
        if feed in gone:
            assert response.status_code == 404, feed
            continue
        assert response.status_code == 200, feed
        assert response.headers["ETag"] != etag, feed
        assert shown in response.data.decode(), (feed, shown)


def test_every_change_a_feed_shows_moves_it_on_and_an_answer_does_not(app, walkers):
    reader = app.test_client()
    olu = logged_in(app, "olu@example.org")
    manage = f"{walkers['walk']}/manage"

    before = validators(reader)
    mia = logged_in(app, "mia@example.org")
    assert mia.submit(f"{walkers['walk']}/rsvp", {"answer": "going"}).status_code == 303
    for feed, (etag, _) in before.items():
        assert reader.get(feed, headers={"If-None-Match": etag}).status_code == 304, feed

    steps = [
        (lambda: olu.submit(f"{manage}/edit", event_data(title="Lock walk")), "Lock walk"),
        (lambda: olu.submit(f"{walkers['draft']}/manage/publish"), "Moon walk"),
        (lambda: olu.submit(f"{manage}/cancel"), "CANCELLED"),
    ]
    for change, shown in steps:
        before = validators(reader)
        assert change().status_code == 303
        # The Atom feeds write a cancelled event's title, the calendars its STATUS.
        for feed in before:
            if shown == "CANCELLED" and feed.endswith(".atom"):
                before = {f: v for f, v in before.items() if f.endswith(".ics")}
        assert_moved(reader, before, shown)

    before = validators(reader)
    assert olu.submit(f"{walkers['draft']}/manage/delete").status_code == 303
    assert_moved(reader, before, "Lock walk")
    assert "Moon walk" not in reader.get("/events.ics").data.decode()

    # The group's life and visibility: its feeds go, the site's move on without it.
    ada = logged_in(app, "ada@example.org")
    before = validators(reader)
    assert ada.submit(f"/admin/groups/{walkers['group_id']}/suspend").status_code == 303
    group_feeds = [feed for feed in FEEDS if feed.startswith("/groups/")]
    assert_moved(reader, before, "Other walk", gone=group_feeds)
    assert "Lock walk" not in reader.get("/events.atom").data.decode()
