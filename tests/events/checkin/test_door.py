"""The door: the people going (not maybe, not waiting), found as one types; one tap checks
someone in, a second tap or another phone's changes nothing, undo takes it back; the
counts' poll answers 204 until someone is checked in or out. Without JavaScript each tap
comes back to the door with the search kept; refused taps write nothing."""

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn
from webapp.events.rsvp.models import Answer, Rsvp
from webapp.extensions import db


def build(app):
    """An event with three going (made in an order unlike their names'), one maybe, one
    waiting; the organiser and their ids."""
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner)
        organiser = make_user(email="door@example.org")
        add_member(group, organiser, role="organiser")
        event = make_event(group, title="Night walk", capacity=10)
        people = {}
        for first, last, answer in (
            ("Zoe", "Quinn", Answer.GOING),
            ("Ada", "Byron", Answer.GOING),
            ("Mia", "Stone", Answer.GOING),
            ("Max", "Maybe", Answer.MAYBE),
            ("Wes", "Waiting", Answer.WAITLISTED),
        ):
            person = make_user(
                first_name=first, last_name=last, email=f"{first.lower()}@example.org"
            )
            add_member(group, person)
            if answer == Answer.WAITLISTED:
                db.session.add(
                    Rsvp(event_id=event.id, user_id=person.id, answer=answer, waitlist_ticket=1)
                )
                db.session.commit()
            else:
                going(event, person, answer)
            people[first] = person.id
        return event.id, people


def checked_in(app, event_id):
    with app.app_context():
        return set(
            db.session.scalars(sa.select(CheckIn.user_id).where(CheckIn.event_id == event_id))
        )


def test_the_door_lists_those_going_by_name_and_finds_as_one_types(app):
    event_id, _people = build(app)
    door = logged_in(app, "door@example.org")

    page = door.get(f"/events/{event_id}/door").text
    names = [name for name in ("Ada Byron", "Mia Stone", "Zoe Quinn") if name in page]
    assert names == ["Ada Byron", "Mia Stone", "Zoe Quinn"]
    assert page.index("Ada Byron") < page.index("Mia Stone") < page.index("Zoe Quinn")
    assert "Max Maybe" not in page and "Wes Waiting" not in page
    assert "<strong>0</strong> of 3 going checked in" in page

    found = door.get(f"/events/{event_id}/door?q=sto", headers={"HX-Request": "true"})
    assert found.status_code == 200 and "<html" not in found.text
    assert "Mia Stone" in found.text and "Ada Byron" not in found.text
    # Said to a screen reader from the page's status region (static/js/app.js).
    assert 'data-announce="1 person going matches"' in found.text
    by_address = door.get(f"/events/{event_id}/door?q=zoe@ex").text
    assert "Zoe Quinn" in by_address and "Mia Stone" not in by_address
    assert "Nobody going matches" in door.get(f"/events/{event_id}/door?q=wes").text


def test_a_tap_checks_in_a_second_changes_nothing_and_undo_takes_it_back(app):
    event_id, people = build(app)
    door = logged_in(app, "door@example.org")
    tap = f"/events/{event_id}/door/{people['Mia']}/check-in"

    response = door.submit(tap, {"q": "mia"})
    assert response.status_code == 303
    assert response.location == f"/events/{event_id}/door?q=mia"
    page = door.get(response.location).text
    assert "Mia Stone is checked in." in page
    assert "<strong>1</strong> of 3 going checked in" in page
    again = door.submit(tap, htmx=True)
    assert "Mia Stone was checked in already." in again.text
    # The tapping phone's counts come along, not only at its next poll.
    assert 'id="door-counts"' in again.text and 'hx-swap-oob="true"' in again.text
    assert "<strong>1</strong> of 3 going checked in" in again.text
    assert checked_in(app, event_id) == {people["Mia"]}

    undone = door.submit(f"/events/{event_id}/door/{people['Mia']}/undo", htmx=True)
    assert undone.status_code == 200 and 'id="door-people"' in undone.text
    assert "Check in Mia Stone" in undone.text
    assert checked_in(app, event_id) == set()


def test_only_people_going_are_checked_in(app):
    event_id, people = build(app)
    door = logged_in(app, "door@example.org")
    with app.app_context():
        stranger = make_user().id
    for person in (people["Max"], people["Wes"], stranger, 999_999):
        response = door.submit(f"/events/{event_id}/door/{person}/check-in", htmx=True)
        assert response.status_code == 422, person
        assert "Only people going can be checked in." in response.text
    assert checked_in(app, event_id) == set()


def test_the_counts_poll_answers_204_until_someone_is_checked_in(app):
    event_id, people = build(app)
    door = logged_in(app, "door@example.org")
    other_phone = logged_in(app, "olu@example.org")
    page = door.get(f"/events/{event_id}/door").text
    poll = page.split('id="door-counts" class="door-counts" hx-get="')[1].split('"')[0]
    poll = poll.replace("&amp;", "&")

    assert door.get(poll, headers={"HX-Request": "true"}).status_code == 204
    other_phone.submit(f"/events/{event_id}/door/{people['Zoe']}/check-in")
    fresh = door.get(poll, headers={"HX-Request": "true"})
    assert fresh.status_code == 200
    assert "<strong>1</strong> of 3 going checked in" in fresh.text
