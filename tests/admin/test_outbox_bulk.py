"""The admin's outbox shows the latest sends to many (announcements), latest first, each
with its group and its messages counted by state, linked to the announcement's page;
in the same few statements however many sends and messages there are."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from tests.accounts.factories import make_user
from tests.admin.support import failed_message
from tests.announcements.factories import make_announcement
from tests.events.factories import make_event
from tests.groups.factories import make_group
from tests.support.auth import login_data
from tests.support.html_checks import by_id
from tests.support.other_apps import app_like
from webapp.accounts.models import User
from webapp.admin.queries import BULK_SENDS_SHOWN
from webapp.announcements.sending import KIND, bulk_key
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.operations.bench import QUERY_COUNT_HEADER
from webapp.outbox.models import OutboxMessage, OutboxState

HEADINGS = ("Sent", "Waiting to be sent", "Failed", "Discarded")


@pytest.fixture
def admin(app):
    with app.app_context():
        make_user(email="admin@example.org", is_site_admin=True)
    client = app.test_client()
    assert client.submit("/login", login_data("admin@example.org")).status_code == 303
    return client


def sent_days_ago(announcement, days):
    announcement.send_at = announcement.sent_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return announcement


def add_messages(announcement, **how_many):
    """Rows of announcement's send in the states named: add_messages(a, sent=3, failed=1)."""
    db.session.add_all(
        OutboxMessage(
            kind=KIND,
            bulk_key=bulk_key(announcement.id),
            recipient=f"{state}{number}-{announcement.id}@example.org",
            subject=announcement.subject,
            text_body="",
            state=OutboxState(state),
            next_attempt_at=utcnow(),
        )
        for state, count in how_many.items()
        for number in range(count)
    )
    db.session.commit()


class _Rows(HTMLParser):
    """The rows of the sends' table: (row id, link, {column heading: text})."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("id", "").startswith("bulk-send-"):
            self.rows.append((attrs["id"], None, {}))
        elif tag == "td" and self.rows:
            self._cell = attrs.get("data-label", "subject")
            self.rows[-1][2][self._cell] = ""
        elif tag == "a" and self.rows and self._cell == "subject":
            self.rows[-1] = (self.rows[-1][0], attrs["href"], self.rows[-1][2])

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell:
            self.rows[-1][2][self._cell] += data


def sends_shown(html):
    parser = _Rows()
    parser.feed(sends_section(html))
    return parser.rows


def sends_section(html):
    """The sends' section alone (the page's other tables are not theirs)."""
    start = html.index('<section id="admin-bulk-sends"')
    return html[start : html.index("</section>", start)]


def counts(cells):
    return tuple(int(cells[heading]) for heading in HEADINGS)


@pytest.fixture
def sends(app):
    """Three sends whose ids, send times and numbers all differ: shown b, c, a."""
    with app.app_context():
        owner = make_user()
        allotment = make_group(owner, name="Allotment Friends")
        quilters = make_group(owner, name="Quiet Quilters")
        swap = make_event(quilters, title="Seed swap")
        a = sent_days_ago(make_announcement(allotment, owner, subject="Hedge day"), 3)
        b = sent_days_ago(make_announcement(quilters, owner, event=swap, subject="Bring tea"), 1)
        c = sent_days_ago(make_announcement(allotment, owner, subject="Gate code"), 2)
        make_announcement(allotment, owner, in_days=2, subject="Not yet")
        add_messages(a, sent=3, pending=1, failed=2)
        add_messages(b, sent=1, sending=2, discarded=1)
        add_messages(c, pending=4, failed=1)
        failed_message()  # one of nobody's sends
        return {"a": a.id, "b": b.id, "c": c.id}


def test_sends_are_listed_latest_first_with_their_messages_by_state(app, admin, sends):
    page = admin.get("/admin/outbox").get_data(as_text=True)

    shown = sends_shown(page)
    assert [row_id for row_id, _link, _cells in shown] == [
        f"bulk-send-{sends[name]}" for name in ("b", "c", "a")
    ]
    (b_link, b), (c_link, c), (a_link, a) = [(link, cells) for _id, link, cells in shown]
    assert (b["subject"], a["subject"], c["subject"]) == ("Bring tea", "Hedge day", "Gate code")
    assert [a_link, b_link, c_link] == [f"/announcements/{sends[name]}" for name in "abc"]
    assert "Quiet Quilters" in b["Group"] and "Seed swap" in b["Group"]
    assert "Allotment Friends" in a["Group"] and "Allotment Friends" in c["Group"]
    # Sent, waiting (being sent too), failed, discarded.
    assert counts(a) == (3, 1, 2, 0)
    assert counts(b) == (1, 2, 0, 1)
    assert counts(c) == (0, 4, 1, 0)
    assert "Not yet" not in sends_section(page)


def test_the_tabs_fragment_is_the_list_of_emails_alone(app, admin, sends):
    fragment = admin.fragment("/admin/outbox?state=pending").get_data(as_text=True)

    assert by_id(fragment, "admin-outbox") is not None
    assert "admin-bulk-sends" not in fragment and "Sends to many" not in fragment


def test_without_sends_the_page_says_so(app, admin):
    page = admin.get("/admin/outbox").get_data(as_text=True)

    assert "No announcement has gone out yet." in sends_section(page)


def test_only_the_latest_sends_are_shown(app, admin):
    with app.app_context():
        owner = make_user()
        group = make_group(owner)
        for days in range(BULK_SENDS_SHOWN + 2):
            sent_days_ago(make_announcement(group, owner, subject=f"Notice {days}"), days)

    shown = sends_shown(admin.get("/admin/outbox").get_data(as_text=True))

    assert [cells["subject"] for _id, _link, cells in shown] == [
        f"Notice {days}" for days in range(BULK_SENDS_SHOWN)
    ]


def test_the_page_reads_the_same_statements_for_one_send_or_many(app, monkeypatch):
    monkeypatch.setenv("HEARTH_BENCH_COUNT_QUERIES", "1")
    with app_like(app) as counting_app:
        with counting_app.app_context():
            make_user(email="admin@example.org", is_site_admin=True)
            owner_id = make_user().id
            add_sends(owner_id, 1)
        admin = counting_app.test_client()
        assert admin.submit("/login", login_data("admin@example.org")).status_code == 303
        admin.get("/")  # the welcome flash, shown once
        one = admin.get("/admin/outbox")
        with counting_app.app_context():
            add_sends(owner_id, 5)
        many = admin.get("/admin/outbox")

    assert len(sends_shown(many.get_data(as_text=True))) == 6
    assert one.headers[QUERY_COUNT_HEADER] == many.headers[QUERY_COUNT_HEADER]


def add_sends(owner_id, how_many):
    """how_many sends, each of a group of its own, every other one to an event's people."""
    owner = db.session.get(User, owner_id)
    for number in range(how_many):
        group = make_group(owner)
        event = make_event(group) if number % 2 else None
        announcement = make_announcement(group, owner, event=event, subject=f"Notice {number}")
        add_messages(announcement, sent=number, pending=1, failed=number % 2)
