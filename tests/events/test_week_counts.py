"""A page of events typed by its number starts at the week its first event is in, from
the counts of listed events by week (migration 0022_event_week_counts), and is the page a
walk from the top reads (webapp.web.listing.Listing's anchor)."""

import math
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import insert_events, make_event
from tests.events.test_search_walk import seen, statements_of
from tests.groups.factories import add_member, make_group
from tests.test_database_round_trips import _anonymous
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.listing import WEEK_SECONDS, visible_events
from webapp.events.models import Event, EventListing, EventStatus
from webapp.events.queries import PAST, UPCOMING
from webapp.extensions import db
from webapp.web import pagination
from webapp.web.pagination import Page

pytestmark = pytest.mark.postgres

LISTED = {EventStatus.PUBLISHED, EventStatus.CANCELLED}


def counted_weeks():
    """The counts the triggers keep, without the weeks that came back to none."""
    rows = db.session.execute(sa.text("SELECT scope, week, events FROM event_week_counts"))
    return {(scope, week): events for scope, week, events in rows if events}


def recounted_weeks():
    """The same counts, made here from the events as they are."""
    counts = Counter()
    for event in db.session.scalars(sa.select(Event).execution_options(populate_existing=True)):
        if event.deleted_at or event.status not in LISTED or event.listing == EventListing.HIDDEN:
            continue
        week = math.floor(event.starts_at.timestamp() / WEEK_SECONDS)
        counts[-1, week] += 1
        counts[0 if event.listing == EventListing.PUBLIC else event.group_id, week] += 1
    return dict(counts)


def week_start(week):
    return datetime.fromtimestamp(week * WEEK_SECONDS, UTC)


def test_the_counts_follow_every_write(app):
    """Every write that moves an event in or out of the lists, or to another week or
    scope, moves its counts: checked against a count made from the events after each."""
    with app.app_context():
        owner = make_user()
        club = make_group(owner, name="Club", slug="club")
        circle = make_group(owner, name="Circle", slug="circle", visibility="private")
        this_week = math.floor(utcnow().timestamp() / WEEK_SECONDS)
        # The first second of a week (a Thursday: 1970-01-01 was one).
        week_begins = week_start(this_week + 3)
        events = [
            make_event(club, starts_at=week_begins),
            make_event(club, starts_at=week_begins - timedelta(seconds=1)),
            make_event(club, status=EventStatus.DRAFT),
            make_event(circle, starts_in=timedelta(days=20)),
            make_event(circle, starts_in=timedelta(days=-3), duration=timedelta(days=10)),
        ]
        assert counted_weeks() == recounted_weeks()
        assert counted_weeks()[0, this_week + 3] == 1  # the first second is the week's
        assert counted_weeks()[0, this_week + 2] == 1
        in_20_days = math.floor(events[3].starts_at.timestamp() / WEEK_SECONDS)
        assert counted_weeks()[circle.id, in_20_days] == 1
        first, second, draft, private, running = (db.session.get(Event, e.id) for e in events)

        def changed(*steps):
            for step in steps:
                step()
                db.session.commit()
                assert counted_weeks() == recounted_weeks(), step

        def moved(event, days):
            def step():
                event.starts_at += timedelta(days=days)
                event.ends_at += timedelta(days=days)

            return step

        def setting(thing, **fields):
            return lambda: [setattr(thing, name, value) for name, value in fields.items()]

        changed(
            setting(draft, status=EventStatus.PUBLISHED),
            setting(first, status=EventStatus.CANCELLED),
            moved(first, 9),
            moved(second, -30),
            # Counters alone, as an RSVP writes them: the counts stay.
            setting(private, going_count=3, places_taken=3, rsvp_version=private.rsvp_version + 1),
            setting(second, deleted_at=utcnow()),
            setting(second, deleted_at=None),
            setting(club, visibility="private"),
            setting(circle, visibility="public"),
            setting(running, status=EventStatus.DRAFT),
            setting(private, group_id=club.id),
            setting(club, deleted_at=utcnow()),
            lambda: db.session.delete(private),
            lambda: db.session.delete(running),
        )
        # The club is gone (its events hidden) and the circle's events deleted.
        assert counted_weeks() == recounted_weeks() == {}


def test_a_statement_of_many_events_is_counted(app):
    """Inserted or deleted by the hundred in one statement (as the seeder loads them, and
    as a group's events go with it), events are counted by statement."""
    with app.app_context():
        owner = make_user()
        club = make_group(owner, name="Club", slug="club")
        circle = make_group(owner, name="Circle", slug="circle", visibility="private")
        for group in (club, circle):
            insert_events(
                group.id,
                300,
                "'Meeting ' || n",
                "''",
                "13 hours",
                past=40,
                status="CASE WHEN n % 7 = 0 THEN 'draft' ELSE 'published' END",
            )
        assert counted_weeks() == recounted_weeks()
        assert sum(counted_weeks().values()) == 2 * 2 * (300 - 300 // 7)
        db.session.execute(sa.text("DELETE FROM events WHERE id % 3 = 0"))
        db.session.commit()
        assert counted_weeks() == recounted_weeks()
        db.session.delete(db.session.get(type(circle), circle.id))
        db.session.commit()
        assert counted_weeks() == recounted_weeks()
        assert all(scope != circle.id for scope, _ in counted_weeks())


@pytest.fixture
def weeks_of_events(app):
    """A public group's 3,000 events, five hours apart, 300 of them past; a private
    group's 600 (of which the member is a member), and another's 600, 27 hours apart; a
    few that last for weeks, one in 2090, and some drafts. Returns the member's id."""
    with app.app_context():
        owner = make_user()
        member = make_user(email="member@example.org")
        public = make_group(owner, name="Walks", slug="walks")
        mine = make_group(owner, name="Mine", slug="mine", visibility="private")
        theirs = make_group(owner, name="Theirs", slug="theirs", visibility="private")
        add_member(mine, member)
        for event in range(4):
            make_event(
                public, starts_in=timedelta(days=-20 + 4 * event), duration=timedelta(days=25)
            )
        # Past 2038, when seconds since 1970 no longer fit an integer: the last page's.
        make_event(public, starts_at=datetime(2090, 6, 1, tzinfo=UTC))
        for group, count, apart, past in (
            (mine, 600, "27 hours", 40),
            (theirs, 600, "27 hours", 20),
        ):
            insert_events(group.id, count, "'Meeting ' || n", "''", apart, past)
        insert_events(
            public.id,
            3_000,
            title="'Walk ' || n",
            description="''",
            apart="5 hours",
            past=300,
            status="CASE WHEN n % 9 = 0 THEN 'draft' ELSE 'published' END",
        )
        return member.id


def viewer(kind, member_id):
    if kind == "visitor":
        return _anonymous()
    if kind == "admin":
        return make_user(email="admin@example.org", is_site_admin=True)
    return db.session.get(User, member_id)


@pytest.mark.parametrize("per_page", [20, 7])
@pytest.mark.parametrize("kind", ["visitor", "member", "admin"])
def test_a_typed_page_read_from_its_week_is_the_walked_page(
    app, weeks_of_events, monkeypatch, kind, per_page
):
    """From page 1 to past the end, a page typed by its number shows the same events and
    says the same of the pages around it whether it walks from the top or from its week."""
    with app.app_context():
        listing, values = visible_events(viewer(kind, weeks_of_events), "", UPCOMING)
        total = db.session.scalar(listing.count, values | {"count_cap": 100_000})
        numbers = sorted({1, 2, 3, 30, 31, 99, math.ceil(total / per_page), total // per_page + 2})
        for number in numbers:
            monkeypatch.setattr(pagination, "ANCHORED_FROM_OFFSET", 10**9)
            walked = Page(listing, number, per_page, values)
            monkeypatch.setattr(pagination, "ANCHORED_FROM_OFFSET", 0)
            anchored, ran = statements_of(
                lambda number=number: Page(listing, number, per_page, values)
            )
            assert seen(anchored) == seen(walked), number
            assert (anchored.pages, anchored.seen) == (walked.pages, walked.seen), number
            if anchored.items:
                assert len(ran) == 1 and "page_anchor" in ran[0], number


def test_only_the_upcoming_list_of_all_events_enters_at_a_week(app):
    """The past list's last month holds events not over yet, which no week count tells
    apart; a search's text and one group's events are not counted by week."""
    with app.app_context():
        group = make_group(make_user())
        member = make_user(email="member@example.org")
        assert visible_events(member, "", UPCOMING)[0].rows_anchored is not None
        assert visible_events(_anonymous(), "", UPCOMING)[0].rows_anchored is not None
        assert visible_events(member, "", PAST)[0].rows_anchored is None
        assert visible_events(member, "walk", UPCOMING)[0].rows_anchored is None
        assert visible_events(member, "", UPCOMING, group=group)[0].rows_anchored is None


def event_links(response):
    return re.findall(r'href="(/events/[0-9]+[^"]*)"', response.get_data(as_text=True))


def test_a_typed_page_from_its_week_over_http(app, client, auth, weeks_of_events, monkeypatch):
    """/events?page=N as typed, logged in as the member: the same events and pager, and
    one statement for them, whether it walks from the top or from its week."""
    auth.login("member@example.org")
    for number in (2, 40, 95):
        address = f"/events?page={number}&per_page=30"
        monkeypatch.setattr(pagination, "ANCHORED_FROM_OFFSET", 10**9)
        walked = client.get(address)
        monkeypatch.setattr(pagination, "ANCHORED_FROM_OFFSET", 0)
        with app.app_context():
            anchored, ran = statements_of(lambda address=address: client.get(address))
        assert walked.status_code == anchored.status_code == 200
        assert len(event_links(anchored)) == 30
        assert event_links(anchored) == event_links(walked), number
        assert sum("page_anchor" in statement for statement in ran) == 1
        pager = re.compile(r'<nav aria-label="[^"]*" class="pagination">.*?</nav>', re.S)
        shown = pager.findall(anchored.get_data(as_text=True))
        assert shown == pager.findall(walked.get_data(as_text=True))
        assert f"Page {number}" in shown[0]
