"""SQL statements per request on the event pages stay at most 5, and the same with 2
people going and many, with 3 events and many: counted by the benchmark's own counter."""

from datetime import timedelta

import pytest

from tests.accounts.factories import make_user
from tests.events.cohosts.factories import make_cohost
from tests.events.factories import make_event
from tests.events.series.factories import make_series
from tests.groups.factories import add_member, make_group
from tests.support.other_apps import app_like
from tests.support.query_counting import statements_and_a_members_view, statements_per_page
from webapp.accounts.models import User
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.series.queries import PAST_SHOWN, series_slug
from webapp.events.series.rules import RepeatRule
from webapp.extensions import db
from webapp.groups.models import Group

BUDGET = 5
# (name, who asks, path, htmx)
PAGES = [
    ("event page", "visitor", "/events/{big}-big-night", False),
    ("event page", "member", "/events/{big}-big-night", False),
    ("event page", "organiser", "/events/{big}-big-night", False),
    ("private event page", "member", "/events/{quiet_night}-quiet-night", False),
    ("events", "visitor", "/events", False),
    ("events", "member", "/events", False),
    ("events, past, searched", "member", "/events?when=past&q=night", False),
    ("events of a private group", "member", "/events?group=quiet", False),
    ("events, page 2", "member", "/events?per_page=2&page=2", False),
    ("events, page 2 by Next", "member", "/events?per_page=2&page=2&after=2000-01-01T00Z~1", False),
    (
        "events, page 3 by Previous",
        "member",
        "/events?per_page=2&page=3&before=3000-01-01T00Z~1",
        False,
    ),
    ("events live search", "member", "/events?q=night", True),
    ("event page with co-hosts", "visitor", "/events/{hosted}-hosted-night", False),
    ("event page with co-hosts", "member", "/events/{hosted}-hosted-night", False),
    ("event page with co-hosts", "cohost", "/events/{hosted}-hosted-night", False),
    ("event page", "cohost", "/events/{big}-big-night", False),
    ("event's edit page", "cohost", "/events/{hosted}/manage/edit", False),
    ("event's edit page", "organiser", "/events/{hosted}/manage/edit", False),
    ("group page", "visitor", "/groups/walkers", False),
    ("group page", "member", "/groups/walkers", False),
    ("group page", "organiser", "/groups/walkers", False),
    ("home", "visitor", "/", False),
    ("home", "member", "/", False),
]


def grow(app, ids, people, events):
    """More people going to the big event, more members, more events in both groups."""
    with app.app_context():
        walkers, quiet = (db.session.get(Group, ids[name]) for name in ("walkers", "quiet"))
        for _ in range(people):
            person = make_user()
            add_member(walkers, person)
            db.session.add(Rsvp(event_id=ids["big"], user_id=person.id, answer=Answer.GOING))
        for number in range(events):
            for group in (walkers, quiet):
                make_event(group, title=f"Night {number}", starts_in=timedelta(days=number % 9 - 2))
            make_event(walkers, title=f"Draft {number}", status=EventStatus.DRAFT)


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user(email="owner@example.org")
        member = make_user(email="member@example.org", time_zone="Asia/Tokyo")
        organiser = make_user(email="organiser@example.org")
        walkers = make_group(owner, name="Walkers", slug="walkers")
        quiet = make_group(owner, name="Quiet", slug="quiet", visibility="private")
        for group in (walkers, quiet):
            add_member(group, member)
        add_member(walkers, organiser, role="organiser")
        quiet_night = make_event(quiet, title="Quiet night")
        big = make_event(walkers, title="Big night", capacity=500)
        # A member co-hosting an event of the walkers' (not the big night).
        cohost = make_user(email="cohost@example.org")
        add_member(walkers, cohost)
        hosted = make_event(walkers, title="Hosted night")
        make_cohost(hosted, cohost, added_by=owner)
        return {
            "walkers": walkers.id,
            "quiet": quiet.id,
            "big": big.id,
            "quiet_night": quiet_night.id,
            "hosted": hosted.id,
        }


@pytest.mark.timeout(120)
def test_statements_per_page_stay_few_and_do_not_grow(app, world, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        grow(counting_app, world, people=2, events=4)
        small = statements_per_page(counting_app, PAGES, world)
        grow(counting_app, world, people=200, events=30)
        big = statements_per_page(counting_app, PAGES, world)

    assert small == big
    over = {page: count for page, count in big.items() if count > BUDGET}
    assert not over, f"over {BUDGET} statements: {over}"


def test_a_members_rsvp_panel_reads_the_event_and_their_answer_at_once(app, world, monkeypatch):
    """Two statements: the session's user, then the event with its group, the member's
    membership and their answer with its place in line (the panel shows them)."""
    with app.app_context():
        member = db.session.scalar(db.select(User).where(User.email == "member@example.org"))
        db.session.add(
            Rsvp(
                event_id=world["big"],
                user_id=member.id,
                answer=Answer.WAITLISTED,
                waitlist_ticket=1,
            )
        )
        db.session.commit()
    fragments = [
        ("RSVP panel", "member", "/events/{big}/rsvp", True),
        ("RSVP panel, live, behind", "member", "/events/{big}/rsvp/live?v=1", True),
    ]
    counts, panel = statements_and_a_members_view(
        app, monkeypatch, fragments, world, "/events/{big}/rsvp"
    )
    assert counts == {f"{name} (member)": 2 for name, *_ in fragments}
    # The answer read along is the one shown, with its place in line.
    assert "You are <strong>1st</strong> on the waitlist" in panel


def test_an_event_page_without_agenda_or_polls_asks_nothing_more_about_them(
    app, world, monkeypatch
):
    """Two statements: the session's user, then the event with its group, the member's
    membership and answer, and whether the event has an agenda and open polls (it has
    neither, as most events). An agenda and polls still show: test_events_agenda_queries
    and test_polls_pages read them on the page."""
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    pages = [("event page", "member", "/events/{big}-big-night", False)]
    with app_like(app) as counting_app:
        assert statements_per_page(counting_app, pages, world) == {"event page (member)": 2}


def test_a_cohost_costs_a_page_nothing_for_being_one(app, world, monkeypatch):
    """Whether the viewer co-hosts the event comes with the event's own statement: the
    co-host's event page and edit page send what a member's and an organiser's do. An
    event with co-hosts names them in one statement more; one without, in none."""
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    pages = [
        (name, role, path, False)
        for name, path in (
            ("hosted", "/events/{hosted}-hosted-night"),
            ("big", "/events/{big}-big-night"),
            ("edit", "/events/{hosted}/manage/edit"),
        )
        for role in ("member", "cohost", "organiser")
        if name != "edit" or role != "member"
    ]
    with app_like(app) as counting_app:
        counts = statements_per_page(counting_app, pages, world)
    assert counts["big (member)"] == counts["big (cohost)"] == counts["big (organiser)"] == 2
    assert counts["hosted (member)"] == counts["hosted (cohost)"] == 3, counts
    assert counts["hosted (organiser)"] == 3, counts
    assert counts["edit (cohost)"] == counts["edit (organiser)"], counts


def _series_of(app, world, rule, past, answered):
    """A series of the walkers' by rule, its first past dates moved four months back, the
    member's answers on its first answered; its number of dates and its page's address."""
    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == "owner@example.org"))
        member = db.session.scalar(db.select(User).where(User.email == "member@example.org"))
        walkers = db.session.get(Group, world["walkers"])
        series = make_series(owner, walkers, rule).series
        dates = db.session.scalars(
            db.select(Event).where(Event.series_id == series.id).order_by(Event.starts_at)
        ).all()
        for event in dates[:past]:
            event.starts_at -= timedelta(days=120)
            event.ends_at -= timedelta(days=120)
        for number, event in enumerate(dates[:answered]):
            answer = (Answer.GOING, Answer.MAYBE)[number % 2]
            db.session.add(Rsvp(event_id=event.id, user_id=member.id, answer=answer))
        db.session.commit()
        return len(dates), f"/series/{series.id}-{series_slug(series)}"


@pytest.mark.timeout(120)
def test_a_series_page_reads_its_dates_at_once_however_many(app, world, monkeypatch):
    """A logged-in viewer's series page sends three statements (their session; the series
    with its group, their membership and standing answer; its dates with their answers),
    a visitor's two: the same for a series of two dates as for one of every day for three
    months, more than PAST_SHOWN of them over."""
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        two = RepeatRule("WEEKLY", count=2)
        few, few_path = _series_of(counting_app, world, two, past=1, answered=1)
        daily = RepeatRule("WEEKLY", weekdays=tuple(range(7)))
        many, many_path = _series_of(counting_app, world, daily, past=30, answered=40)
        assert few == 2 and many > 80
        pages = [
            (name, role, path, False)
            for name, path in (("few", few_path), ("many", many_path))
            for role in ("visitor", "member", "organiser")
        ]
        calendars = [
            (f"{name} calendar", role, path.split("-", 1)[0] + "/calendar.ics", False)
            for name, path in (("few", few_path), ("many", many_path))
            for role in ("visitor", "member")
        ]
        counts = statements_per_page(counting_app, pages + calendars, world)
        shown = counting_app.test_client().get(many_path).get_data(as_text=True)

    for role, expected in (("visitor", 2), ("member", 3), ("organiser", 3)):
        assert counts[f"few ({role})"] == counts[f"many ({role})"] == expected, counts
    # Its calendar file: the same however many dates (their SEQUENCEs read at once).
    for role in ("visitor", "member"):
        assert counts[f"few calendar ({role})"] == counts[f"many calendar ({role})"], counts
    past = shown[shown.index('id="past-heading"') :]
    assert past.count("<li>") == PAST_SHOWN
