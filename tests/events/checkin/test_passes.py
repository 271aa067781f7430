"""Door passes through HTTP: the person going finds their pass on the event's page and in
their confirmation email, or in the email saying the waitlist let them in (the same QR
code, inline; a guest's links to their answer's page); an organiser's phone opens the link
it holds and checks them in with one tap, while opening it changes nothing. A tampered
pass, another event's pass and a pass opened by someone who does not run the door are
refused; a pass whose person no longer goes checks nobody in. The organiser has the lowest
id and the person going the highest, unlike the order of the rule's roles."""

import re

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.factories import make_event
from tests.events.guest_answers.support import (
    answer_link,
    ask,
    build_picnic,
    confirm_link,
    guest_row,
    last_to,
)
from tests.groups.factories import add_member, make_group
from tests.polls.support import logged_in
from tests.support.auth import html, tampered
from tests.tasks.factories import going
from webapp.events.checkin.models import CheckIn
from webapp.events.checkin.passes import pass_token, qr_png, qr_svg, scan_url
from webapp.events.rsvp.models import Answer
from webapp.extensions import db


@pytest.fixture
def door(app):
    with app.app_context():
        organiser = make_user(email="door@example.org", first_name="Dora")
        owner = make_user(email="olu@example.org")
        group = make_group(owner)
        add_member(group, organiser, role="organiser")
        event = make_event(group, title="Night walk", capacity=10)
        other = make_event(group, title="Day walk", capacity=10)
        bystander = make_user(email="bo@example.org")
        add_member(group, bystander)
        ada = make_user(email="ada@example.org", first_name="Ada", last_name="Byron")
        add_member(group, ada)
        going(event, ada)
        going(other, ada)
        return {"event": event.id, "other": other.id, "ada": ada.id}


def link_of(app, event_id, user_id):
    with app.app_context(), app.test_request_context():
        return scan_url(event_id, user_id).removeprefix(app.config["BASE_URL"])


def checked_in(app, event_id):
    with app.app_context():
        return db.session.execute(
            sa.select(CheckIn.user_id, CheckIn.checked_in_by_id).where(CheckIn.event_id == event_id)
        ).all()


def test_the_person_going_finds_a_pass_holding_the_door_link(app, door):
    ada = logged_in(app, "ada@example.org")
    page = html(ada.get(f"/events/{door['event']}", follow_redirects=True))
    assert f'href="/events/{door["event"]}/pass"' in page

    response = ada.get(f"/events/{door['event']}/pass")
    assert response.status_code == 200
    with app.app_context(), app.test_request_context():
        expected = qr_svg(
            scan_url(door["event"], door["ada"]), "Door pass of Ada Byron for Night walk"
        )
    assert str(expected) in html(response)
    assert 'role="img" aria-label="Door pass of Ada Byron for Night walk"' in html(response)


@pytest.mark.parametrize("answer", [Answer.MAYBE, Answer.NOT_GOING, Answer.WAITLISTED])
def test_there_is_no_pass_for_anyone_not_going(app, door, answer):
    ada = logged_in(app, "ada@example.org")
    if answer == Answer.WAITLISTED:
        with app.app_context():
            from webapp.events.rsvp.models import Rsvp

            rsvp = db.session.scalar(
                sa.select(Rsvp).where(Rsvp.event_id == door["event"], Rsvp.user_id == door["ada"])
            )
            rsvp.answer, rsvp.waitlist_ticket = Answer.WAITLISTED, 1
            db.session.commit()
    else:
        response = ada.submit(
            f"/events/{door['event']}/rsvp", {"answer": answer.value, "guests": "0"}
        )
        assert response.status_code == 303
    assert ada.get(f"/events/{door['event']}/pass").status_code == 404
    assert "/pass" not in html(ada.get(f"/events/{door['event']}", follow_redirects=True))


def test_an_organiser_scans_a_pass_and_checks_its_person_in_with_one_tap(app, door):
    organiser = logged_in(app, "door@example.org")
    link = link_of(app, door["event"], door["ada"])

    page = organiser.get(link)
    assert page.status_code == 200
    assert "Ada Byron" in html(page) and "Check in Ada Byron" in html(page)
    assert checked_in(app, door["event"]) == []  # opening the link changes nothing

    response = organiser.submit(link)
    assert response.status_code == 303
    assert response.location == f"/events/{door['event']}/door"
    assert "Ada Byron is checked in." in html(organiser.get(response.location))
    with app.app_context():
        organiser_id = db.session.scalar(
            sa.text("SELECT id FROM users WHERE email = 'door@example.org'")
        )
    assert checked_in(app, door["event"]) == [(door["ada"], organiser_id)]
    assert checked_in(app, door["other"]) == []

    again = organiser.get(link)
    assert "Ada Byron was checked in already" in html(again)
    assert "Check in Ada Byron" not in html(again)
    organiser.submit(link)
    assert len(checked_in(app, door["event"])) == 1


def test_a_tampered_pass_or_another_events_is_no_pass(app, door):
    organiser = logged_in(app, "door@example.org")
    link = link_of(app, door["event"], door["ada"])
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        forged = pass_token(door["event"], door["ada"] + 1000)[:-2] + token[-2:]
    refused = [
        tampered(link),  # the pass's event and person
        tampered(link, -2),  # its signature
        f"/events/{door['event']}/door/scan/{forged}",
        # Ada's pass to the day walk, at the night walk's door.
        link_of(app, door["other"], door["ada"]).replace(
            f"/events/{door['other']}/", f"/events/{door['event']}/"
        ),
    ]
    for url in refused:
        assert organiser.get(url).status_code == 404, url
        assert organiser.submit(url).status_code == 404, url
    assert checked_in(app, door["event"]) == []


def test_a_pass_opened_by_someone_not_running_the_door_is_refused(app, door):
    link = link_of(app, door["event"], door["ada"])
    for email in ("bo@example.org", "ada@example.org"):
        client = logged_in(app, email)
        assert client.get(link).status_code == 403
        assert client.submit(link).status_code == 403
    assert app.test_client().get(link).status_code in (302, 303)
    assert checked_in(app, door["event"]) == []


def test_a_pass_whose_person_no_longer_goes_checks_nobody_in(app, door):
    link = link_of(app, door["event"], door["ada"])
    ada = logged_in(app, "ada@example.org")
    ada.submit(f"/events/{door['event']}/rsvp", {"answer": "not_going", "guests": "0"})
    organiser = logged_in(app, "door@example.org")

    page = organiser.get(link)
    assert "Ada Byron is not going to this event" in html(page)
    assert "Check in Ada Byron" not in html(page)
    response = organiser.submit(link)
    assert response.status_code == 422
    assert "Only people going can be checked in." in html(response)
    assert checked_in(app, door["event"]) == []


def test_the_going_confirmation_shows_the_pass_inline(app, mailbox):
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner)
        event = make_event(group, title="Night walk", capacity=10)
        ada = make_user(email="ada@example.org", first_name="Ada")
        add_member(group, ada)
        event_id, ada_id = event.id, ada.id
    client = logged_in(app, "ada@example.org")
    client.submit(f"/events/{event_id}/rsvp", {"answer": "going", "guests": "0"})

    message = mailbox.last("ada@example.org")
    html_part = message.get_body(preferencelist=("html",))
    assert 'src="cid:door-qr"' in html_part.get_content()
    related = message.get_body(preferencelist=("related",))
    (image,) = [part for part in related.iter_parts() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<door-qr>"
    with app.app_context(), app.test_request_context():
        assert image.get_content() == qr_png(scan_url(event_id, ada_id))
    assert re.search(rf"https?://\S+/events/{event_id}/pass\b", mailbox.text(message))


def inline_pass(message):
    """The door pass's PNG in message, after checking the HTML shows it by its cid."""
    assert 'src="cid:door-qr"' in message.get_body(preferencelist=("html",)).get_content()
    related = message.get_body(preferencelist=("related",))
    (image,) = [part for part in related.iter_parts() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<door-qr>"
    return image.get_content()


def test_the_promotion_email_shows_the_pass_inline(app, mailbox):
    # Ada, promoted, is neither the first member nor in the first event.
    with app.app_context():
        owner = make_user(email="olu@example.org")
        group = make_group(owner)
        make_event(group, title="Day walk", capacity=1)
        event = make_event(group, title="Night walk", capacity=1)
        bea = make_user(email="bea@example.org", first_name="Bea")
        ada = make_user(email="ada@example.org", first_name="Ada")
        for person in (bea, ada):
            add_member(group, person)
        event_id, ada_id = event.id, ada.id
    rsvp = f"/events/{event_id}/rsvp"
    bea_client = logged_in(app, "bea@example.org")
    ada_client = logged_in(app, "ada@example.org")
    bea_client.submit(rsvp, {"answer": "going", "guests": "0"})
    ada_client.submit(rsvp, {"answer": "going", "guests": "0"})
    assert "waitlist" in mailbox.last("ada@example.org")["Subject"].lower()

    bea_client.submit(rsvp, {"answer": "not_going", "guests": "0"})
    message = mailbox.last("ada@example.org")
    assert message["Subject"].startswith("A place opened up")
    with app.app_context(), app.test_request_context():
        assert inline_pass(message) == qr_png(scan_url(event_id, ada_id))
    link = re.search(rf"https?://\S+(/events/{event_id}/pass)\b", mailbox.text(message))
    assert link and ada_client.get(link.group(1)).status_code == 200


def test_a_promoted_guests_email_shows_their_pass_and_their_own_page(app, client, mailbox):
    picnic = build_picnic(app, capacity=1)
    amy = logged_in(app, "amy@example.org")
    rsvp = f"/events/{picnic.event_id}/rsvp"
    amy.submit(rsvp, {"answer": "going", "guests": "0"})
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    assert "waitlist" in last_to(mailbox)["Subject"].lower()

    amy.submit(rsvp, {"answer": "not_going", "guests": "0"})
    message = last_to(mailbox)
    assert message["Subject"].startswith("A place opened up")
    guest_id = guest_row(app).id
    with app.app_context(), app.test_request_context():
        assert inline_pass(message) == qr_png(scan_url(picnic.event_id, guest_id))
    # A guest has no login: the pass is on the page of their answer.
    own = answer_link(mailbox)
    text = mailbox.text(message)
    assert re.search(rf"door pass[^\r\n]*: https?://\S+{re.escape(own)}\s", text)
    assert f"/events/{picnic.event_id}/pass" not in text
    assert 'class="door-pass-code"' in html(app.test_client().get(own))
