"""Statements per request where comments show stay few, and the same for a thread of 3
comments as for one of hundreds (a page of it read at once, its count kept on its row):
the event's page (within the event page's budget), the comments' page and its later
pages, and the live part behind the version it shows. An event never commented on asks
nothing about comments."""

import pytest

from tests.accounts.factories import make_user
from tests.discussions.factories import make_comment
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.support.other_apps import app_like
from tests.support.query_counting import assert_few_and_flat, statements_per_page
from webapp.events.models import Event
from webapp.extensions import db

EVENT_PAGE_BUDGET = 5
PAGES = [
    ("event page", "visitor", "/events/{talked}-talked-night", False),
    ("event page", "member", "/events/{talked}-talked-night", False),
    ("event page", "organiser", "/events/{talked}-talked-night", False),
    ("comments", "member", "/events/{talked}/comments", False),
    ("comments, page 2", "member", "/events/{talked}/comments?page=2", False),
    ("comments, fragment", "organiser", "/events/{talked}/comments", True),
    ("comments, live, behind", "member", "/events/{talked}/comments/live?v=1", True),
]


@pytest.fixture
def world(app):
    with app.app_context():
        owner = make_user(email="owner@example.org")
        walkers = make_group(owner, name="Walkers")
        add_member(walkers, make_user(email="member@example.org"))
        add_member(walkers, make_user(email="organiser@example.org"), role="organiser")
        quiet = make_event(walkers, title="Quiet night")
        talked = make_event(walkers, title="Talked night")
        return {"walkers": walkers.id, "quiet": quiet.id, "talked": talked.id}


def grow(app, world, comments):
    """comments more under the talked-about event, every third a reply, by new members."""
    with app.app_context():
        event = db.session.get(Event, world["talked"])
        group = event.group
        first = None
        for number in range(comments):
            author = make_user()
            add_member(group, author)
            reply = number % 3 == 2 and first is not None
            made = make_comment(
                event, author, f"Comment {number}", reply_to_comment=first if reply else None
            )
            if not reply:
                first = made


def test_comment_pages_send_few_statements_however_long_the_thread(app, world, monkeypatch):
    assert_few_and_flat(
        app, monkeypatch, grow, world, {"comments": 3}, {"comments": 90}, PAGES, EVENT_PAGE_BUDGET
    )


def test_an_event_never_commented_on_asks_nothing_about_comments(app, world, monkeypatch):
    """The member's event page sends what it sent before comments existed: the session's
    user, then the event with all it shows."""
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    pages = [("quiet", "member", "/events/{quiet}-quiet-night", False)]
    with app_like(app) as counting_app:
        assert statements_per_page(counting_app, pages, world) == {"quiet (member)": 2}


def test_pages_read_again_send_what_a_page_without_comments_sends(app, world, monkeypatch):
    """The thread comes with the event's own row, and a page of its comments is kept by
    each process until the thread changes (webapp.discussions.queries): read again, the
    event's page and the comments' pages send the session's user and the event alone. A
    new comment is read once more, then kept again."""
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    pages = [
        ("event page", "member", "/events/{talked}-talked-night", False),
        ("comments", "member", "/events/{talked}/comments", False),
        ("comments, page 2", "organiser", "/events/{talked}/comments?page=2", False),
    ]
    each_two = {"event page (member)": 2, "comments (member)": 2, "comments, page 2 (organiser)": 2}
    with app_like(app) as counting_app:
        grow(counting_app, world, comments=45)
        first = statements_per_page(counting_app, pages, world)
        again = statements_per_page(counting_app, pages, world)
        grow(counting_app, world, comments=1)
        after_a_change = statements_per_page(counting_app, pages, world)
        kept_again = statements_per_page(counting_app, pages, world)
    assert first == after_a_change == dict.fromkeys(each_two, 3)
    assert again == kept_again == each_two
