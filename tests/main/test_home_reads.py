"""The home page, asked for on every visit of a member, reads of its lists only what it
shows: no statement brings a group's, an event's or a poll's long texts, and each list
brings the columns of its rows that its template shows, with the group named by the
poll or event it belongs to."""

import re

import pytest

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.factories import make_poll
from tests.support.auth import login_data
from tests.support.engine_events import listening
from webapp.extensions import db

LONG_TEXTS = {"description", "description_html", "summary", "body", "body_html"}
# What events/_upcoming.html, polls/_list.html and the home's group links show.
SHOWN = {
    "events": {"id", "title", "slug", "status", "starts_at", "time_zone", "going_count"}
    | {"series_id", "group_id"},
    "polls": {"id", "question", "kind", "closes_at", "time_zone"},
    "groups": {"id", "name", "slug"},
}


@pytest.fixture
def harbour(app):
    """Wren is a member of two groups, each with an event and a poll on her home page."""
    with app.app_context():
        wren = make_user(email="wren.home@example.org", first_name="Wren", last_name="Ito")
        for name in ("Harbour Rowers", "Canal Walkers"):
            owner = make_user(email=f"owner.{name.split()[0].lower()}@example.org")
            group = make_group(owner, name=name, description="A long story " * 200)
            add_member(group, wren)
            make_event(group, title=f"{name} meet", description="Bring a coat " * 200)
            make_poll(group, question=f"{name}: where next?", description="Think " * 200)
        db.session.commit()
    return "wren.home@example.org"


def columns_by_table(statement):
    """{table: its columns} of statement's select list (an alias such as groups_1 counts
    as its table)."""
    select_list = re.split(r"\sFROM\s", statement, maxsplit=1)[0]
    found = {}
    for table, column in re.findall(r"\b(\w+)\.(\w+)\b", select_list):
        found.setdefault(re.sub(r"_\d+$", "", table), set()).add(column)
    return found


def test_the_home_page_reads_only_what_its_lists_show(app, harbour):
    client = app.test_client()
    assert client.submit("/login", login_data(harbour)).status_code == 303
    client.get("/")  # the welcome, shown once

    read = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            names = {column[0] for column in cursor.description or ()}
            read.append((statement, names))

    with app.app_context(), listening(db.engine, "after_cursor_execute", keep):
        page = client.get("/").get_data(as_text=True)

    # What the page shows, first: both groups, their events and their polls.
    for name in ("Harbour Rowers", "Canal Walkers"):
        assert f">{name}</a>" in page
        assert f"{name} meet" in page
        assert f"{name}: where next?" in page
    assert "Bring a coat" not in page and "Think " not in page

    lists = {}
    for statement, names in read:
        assert not names & LONG_TEXTS, f"the home page read {names & LONG_TEXTS}: {statement}"
        main_table = re.search(r"\bFROM (\w+)", statement).group(1)
        if main_table in SHOWN:
            lists[main_table] = columns_by_table(statement)
    assert lists.keys() == SHOWN.keys()
    for table, shown in SHOWN.items():
        assert lists[table][table] == shown, table
        if table != "groups":
            # The group each row belongs to, by name and address.
            assert lists[table]["groups"] == {"id", "name", "slug"}, table


def test_a_visitors_home_reads_no_long_text_either(app, harbour):
    read = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        read.append({column[0] for column in cursor.description or ()})

    # The events of both groups are public: a visitor's home lists them.
    with app.app_context(), listening(db.engine, "after_cursor_execute", keep):
        page = app.test_client().get("/").get_data(as_text=True)
    assert "Harbour Rowers meet" in page
    assert read and not set().union(*read) & LONG_TEXTS
