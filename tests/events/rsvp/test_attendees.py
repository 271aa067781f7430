"""The attendee list for members, and what organisers do with it: take someone off (asked
first; the next in line who fits goes) and download it as CSV, safe for spreadsheets."""

import csv
import io
import re

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import answers, assert_counters_match_rows, going, waitlist
from tests.groups.factories import add_member, make_group
from tests.support.auth import html, login_data
from webapp.accounts.models import User
from webapp.events.checkin.models import CheckIn
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


class Party:
    def __init__(self, event_id, owner, people):
        self.event_id = event_id
        self.owner = owner
        self.people = people  # name -> (user id, email)

    def rsvp_id(self, name):
        return db.session.scalar(
            sa.select(Rsvp.id).where(
                Rsvp.event_id == self.event_id, Rsvp.user_id == self.people[name][0]
            )
        )


@pytest.fixture
def party(app):
    """Capacity 2: Zoe (with a guest) going; Ann then Bea waiting; Cy maybe; Dan not going."""
    with app.app_context():
        owner = make_user(email="owner@example.org", first_name="Olga", last_name="Owner")
        group = make_group(owner, name="Garden Club")
        names = {
            "Zoe": ("Zoe", "Zimmer"),
            "Ann": ("Ann", '=HYPERLINK("http://evil.example")'),
            "Bea": ("Bea", "Brown"),
            "Cy": ("Cy", "+Cole"),
            "Dan": ("Dan", "Dale"),
        }
        people = {}
        for key, (first, last) in names.items():
            user = make_user(email=f"{key.lower()}@example.org", first_name=first, last_name=last)
            add_member(group, user)
            people[key] = (user.id, user.email)
        event = make_event(group, title="Seed swap", capacity=2, guests_allowed=1)
        plan = [("Zoe", "going", 1), ("Ann", "going", 0), ("Bea", "going", 0)]
        plan += [("Cy", "maybe", 0), ("Dan", "not_going", 0)]
        for key, answer, guests in plan:
            answer_event(db.session.get(User, people[key][0]), event, answer, guests)
            db.session.commit()
        return Party(event.id, owner.email, people)


def test_members_see_going_the_waitlist_in_order_and_maybe(app, party):
    member = logged_in(app, "bea@example.org")
    page = member.get(f"/events/{party.event_id}/attendees")
    assert page.status_code == 200
    body = html(page)
    going_part = body[body.index('id="attendees-going"') : body.index('id="attendees-waitlisted"')]
    waiting = body[body.index('id="attendees-waitlisted"') : body.index('id="attendees-maybe"')]
    maybe = body[body.index('id="attendees-maybe"') :]
    assert "Going (1)" in going_part and "Zoe Zimmer" in going_part and "1 guest" in going_part
    assert '<ol class="attendee-list" start="1">' in waiting
    assert waiting.index("Ann") < waiting.index("Bea Brown")
    assert "Cy +Cole" in maybe and "Dan" not in body
    assert "Remove" not in body and "CSV" not in body
    # Emails are for organisers, in the export.
    assert "@example.org" not in body.replace("bea@example.org", "")


def test_the_list_reads_its_lines_as_rows_not_objects(app, party):
    """A hundred lines made an answer and a user object each, the page's largest cost: the
    lines are read as plain rows (the viewer alone is read as a user)."""
    loaded = []

    def keep(target, context):
        loaded.append(type(target).__name__)

    member = logged_in(app, "bea@example.org")
    sa.event.listen(Rsvp, "load", keep)
    sa.event.listen(User, "load", keep)
    try:
        page = member.get(f"/events/{party.event_id}/attendees")
    finally:
        sa.event.remove(Rsvp, "load", keep)
        sa.event.remove(User, "load", keep)
    assert page.status_code == 200
    assert all(name in html(page) for name in ("Zoe Zimmer", "Bea Brown", "Cy +Cole"))
    assert loaded.count("User") <= 1 and loaded.count("Rsvp") <= 1, loaded


def test_the_list_as_a_fragment(app, party):
    member = logged_in(app, "cy@example.org")
    fragment = member.fragment(f"/events/{party.event_id}/attendees")
    assert fragment.status_code == 200
    assert html(fragment).lstrip().startswith(f'<div id="attendees-{party.event_id}"')


def test_the_waitlist_keeps_its_numbers_across_pages(app, party):
    member = logged_in(app, "cy@example.org")
    second = html(member.get(f"/events/{party.event_id}/attendees?per_page=2&page=2"))
    assert '<ol class="attendee-list" start="2">' in second
    assert "Bea Brown" in second and "Cy +Cole" in second


def test_organisers_remove_someone_going_and_the_next_who_fits_goes(app, party):
    organiser = logged_in(app, party.owner)
    with app.app_context():
        rsvp_id = party.rsvp_id("Zoe")
    url = f"/events/{party.event_id}/attendees/{rsvp_id}/remove"
    ask = organiser.get(url)
    assert ask.status_code == 200
    assert "Take Zoe Zimmer off the list?" in html(ask)
    assert "<html" in html(ask)
    dialog = organiser.fragment(url)
    assert html(dialog).lstrip().startswith('<article id="remove-attendee"')
    done = organiser.submit(url)
    assert done.status_code == 303
    assert done.location == f"/events/{party.event_id}/attendees"
    assert "Zoe Zimmer is off the list of Seed swap." in html(organiser.get(done.location))
    with app.app_context():
        assert going(party.event_id) == {party.people["Ann"][0], party.people["Bea"][0]}
        assert waitlist(party.event_id) == []
        assert answers(party.event_id)[party.people["Zoe"][0]][0] == Answer.NOT_GOING
        assert_counters_match_rows(party.event_id)


def test_removing_twice_is_a_message_not_an_error(app, party):
    organiser = logged_in(app, party.owner)
    with app.app_context():
        rsvp_id = party.rsvp_id("Cy")
    url = f"/events/{party.event_id}/attendees/{rsvp_id}/remove"
    assert organiser.submit(url).status_code == 303
    # Now "not going": no longer on the list, so there is nothing to remove.
    assert organiser.get(url).status_code == 404
    assert organiser.submit(url).status_code == 404


def test_removal_without_the_token_is_refused(app, party):
    organiser = logged_in(app, party.owner)
    with app.app_context():
        rsvp_id = party.rsvp_id("Ann")
    response = organiser.post(f"/events/{party.event_id}/attendees/{rsvp_id}/remove")
    assert response.status_code == 400
    with app.app_context():
        assert waitlist(party.event_id)[0] == party.people["Ann"][0]


def test_an_answer_of_another_event_cannot_be_removed_through_this_one(app, party):
    with app.app_context():
        rsvp_id = party.rsvp_id("Zoe")
        event = db.session.get(Event, party.event_id)
        other = make_event(event.group, title="Other").id
    organiser = logged_in(app, party.owner)
    assert organiser.get(f"/events/{other}/attendees/{rsvp_id}/remove").status_code == 404


FORMULA = '=HYPERLINK("http://evil.example")'


def test_the_csv_lists_going_waiting_and_maybe_safely(app, party):
    with app.app_context():
        db.session.add(CheckIn(event_id=party.event_id, user_id=party.people["Zoe"][0]))
        db.session.commit()
    organiser = logged_in(app, party.owner)
    response = organiser.get(f"/events/{party.event_id}/attendees.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="seed-swap-attendees.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0] == [
        "Answer",
        "Place in line",
        "Name",
        "Email",
        "Without an account",
        "Guests",
        "Answered at (UTC)",
        "Checked in at (UTC)",
    ]
    body = [row[:6] for row in rows[1:]]
    assert body == [
        ["Going", "", "Zoe Zimmer", "zoe@example.org", "", "1"],
        ["On the waitlist", "1", f"Ann {FORMULA}", "ann@example.org", "", "0"],
        ["On the waitlist", "2", "Bea Brown", "bea@example.org", "", "0"],
        ["Maybe", "", "Cy +Cole", "cy@example.org", "", "0"],
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[6]) for row in rows[1:])
    # Zoe came; the others were not checked in.
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][7])
    assert [row[7] for row in rows[2:]] == ["", "", ""]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20", "'+44 20"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ann", "Ann"),
        (3, 3),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, written):
    from webapp.events.rsvp.export import safe_cell

    assert safe_cell(value) == written


def test_a_name_starting_with_a_formula_sign_is_defused_in_the_export(app, party):
    with app.app_context():
        user = db.session.get(User, party.people["Ann"][0])
        user.first_name = "=cmd|' /C calc'!A0"
        db.session.commit()
    organiser = logged_in(app, party.owner)
    text = organiser.get(f"/events/{party.event_id}/attendees.csv").get_data().decode("utf-8-sig")
    names = [row[2] for row in csv.reader(io.StringIO(text))]
    assert "'=cmd|' /C calc'!A0 =HYPERLINK(\"http://evil.example\")" in names


def test_members_cannot_remove_or_export(app, party):
    member = logged_in(app, "bea@example.org")
    with app.app_context():
        rsvp_id = party.rsvp_id("Ann")
    assert member.get(f"/events/{party.event_id}/attendees.csv").status_code == 403
    assert member.submit(f"/events/{party.event_id}/attendees/{rsvp_id}/remove").status_code == 403
