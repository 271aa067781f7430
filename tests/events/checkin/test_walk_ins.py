"""Walk-ins at the door, through HTTP: someone who came without an answer is added by name
(an address if they give one), taking one of the event's places only when the organiser
ticks it; with no place left, that is refused beside the box and nothing is written.
Removing one who took a place gives it to the first on the waitlist. The door's counts
say how many walked in. Bad input is a 422 beside its field, and nothing is lost."""

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.rsvp.support import assert_counters_match_rows
from tests.events.support import event_data
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import field_error, input_value
from webapp.events.checkin.models import WalkIn
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.events.rsvp.services import answer_event
from webapp.extensions import db


def build(app, capacity=2):
    """An event of capacity places, one taken by Ada; Wes is a member who has not
    answered. The organiser's address is door@. (event id, Wes's id)."""
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner)
        add_member(group, make_user(email="door@example.org"), role="organiser")
        event = make_event(group, title="Night walk", capacity=capacity)
        ada = make_user(first_name="Ada", email="ada@example.org")
        add_member(group, ada)
        answer_event(ada, event, Answer.GOING, 0)
        db.session.commit()
        wes = make_user(first_name="Wes", email="wes@example.org")
        add_member(group, wes)
        return event.id, wes.id


def walk_ins(app, event_id):
    with app.app_context():
        return db.session.execute(
            sa.select(WalkIn.name, WalkIn.email, WalkIn.takes_place)
            .where(WalkIn.event_id == event_id)
            .order_by(WalkIn.id)
        ).all()


def places(app, event_id):
    """The places taken, once the counters are checked against the rows."""
    with app.app_context():
        return assert_counters_match_rows(event_id).places_taken


def answer_of(app, event_id, user_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(Rsvp.answer).where(Rsvp.event_id == event_id, Rsvp.user_id == user_id)
        )


def test_a_walk_in_without_a_place_is_added_even_when_the_event_is_full(app):
    event_id, _wes = build(app, capacity=1)
    door = logged_in(app, "door@example.org")
    response = door.submit(
        f"/events/{event_id}/door/walk-ins", {"name": "  Tom   Thumb ", "email": ""}
    )
    assert response.status_code == 303
    page = door.get(response.location).text
    assert "Tom Thumb is added as a walk-in." in page
    assert "1 walk-in" in page
    assert walk_ins(app, event_id) == [("Tom Thumb", None, False)]
    assert places(app, event_id) == 1


def test_a_walk_in_taking_a_place_takes_the_last_and_then_none_is_left(app):
    event_id, _wes = build(app, capacity=2)
    door = logged_in(app, "door@example.org")
    first = {"name": "Tom", "email": "tom@example.org", "takes_place": "y"}
    response = door.submit(f"/events/{event_id}/door/walk-ins", first, htmx=True)
    assert response.status_code == 200 and 'id="door-walk-ins"' in response.text
    assert places(app, event_id) == 2
    event_page = door.get(f"/events/{event_id}", follow_redirects=True).text
    assert "Full" in event_page or "0 places left" in event_page or "full" in event_page

    second = {"name": "Kit", "email": "", "takes_place": "y"}
    refused = door.submit(f"/events/{event_id}/door/walk-ins", second)
    assert refused.status_code == 422
    assert field_error(refused, "takes_place") == (
        "No place is left: add them without taking one, or raise the capacity."
    )
    assert input_value(refused, "name") == "Kit"
    assert walk_ins(app, event_id) == [("Tom", "tom@example.org", True)]
    assert places(app, event_id) == 2


def test_removing_a_walk_in_who_took_a_place_gives_it_to_the_waitlist(app, mailbox):
    event_id, wes = build(app, capacity=2)
    door = logged_in(app, "door@example.org")
    door.submit(f"/events/{event_id}/door/walk-ins", {"name": "Tom", "takes_place": "y"})
    with app.app_context():
        walk_in_id = db.session.scalar(sa.select(WalkIn.id))
    # Tom took the last place: Wes, answering after, waits.
    logged_in(app, "wes@example.org").submit(
        f"/events/{event_id}/rsvp", {"answer": "going", "guests": "0"}
    )
    assert answer_of(app, event_id, wes) == Answer.WAITLISTED

    response = door.submit(f"/events/{event_id}/door/walk-ins/{walk_in_id}/remove")
    assert response.status_code == 303
    assert "Tom is no longer a walk-in." in door.get(response.location).text
    assert walk_ins(app, event_id) == []
    assert answer_of(app, event_id, wes) == Answer.GOING
    assert places(app, event_id) == 2
    assert any("A place opened up" in m["Subject"] for m in mailbox.messages("wes@example.org"))

    again = door.submit(f"/events/{event_id}/door/walk-ins/{walk_in_id}/remove")
    assert "That walk-in was removed already." in door.get(again.location).text


def test_the_capacity_cannot_go_below_the_places_walk_ins_took(app):
    event_id, _wes = build(app, capacity=3)
    door = logged_in(app, "door@example.org")
    door.submit(f"/events/{event_id}/door/walk-ins", {"name": "Tom", "takes_place": "y"})
    edit = door.submit(f"/events/{event_id}/manage/edit", event_data(capacity="1"))
    assert edit.status_code == 422
    assert field_error(edit, "capacity").startswith("2 places are already taken")
    assert (
        door.submit(f"/events/{event_id}/manage/edit", event_data(capacity="2")).status_code == 303
    )
    assert places(app, event_id) == 2


def test_bad_input_is_refused_beside_its_field_and_kept(app):
    event_id, _wes = build(app)
    door = logged_in(app, "door@example.org")
    cases = [
        ({"name": "", "email": "tom@example.org"}, "name", "Enter their name."),
        ({"name": "   ", "email": ""}, "name", "Enter their name."),
        ({"name": "x" * 101, "email": ""}, "name", None),
        ({"name": "Tom", "email": "not an address"}, "email", None),
    ]
    for data, field, message in cases:
        response = door.submit(f"/events/{event_id}/door/walk-ins", data, htmx=True)
        assert response.status_code == 422, data
        error = field_error(response, field)
        assert error and (message is None or error == message), (data, error)
        if data["email"]:
            assert input_value(response, "email") == data["email"]
    assert walk_ins(app, event_id) == []


def test_walk_ins_are_in_the_attendee_csv_in_the_order_they_came(app):
    event_id, _wes = build(app)
    door = logged_in(app, "door@example.org")
    for name, email in (("Tom", "tom@example.org"), ("=Kit", "")):
        door.submit(f"/events/{event_id}/door/walk-ins", {"name": name, "email": email})
    rows = door.get(f"/events/{event_id}/attendees.csv").text.splitlines()
    walked = [row for row in rows if row.startswith("Walk-in")]
    assert [row.split(",")[2:4] for row in walked] == [["Tom", "tom@example.org"], ["'=Kit", ""]]
    assert all(row.split(",")[-1] for row in walked)  # when they came
