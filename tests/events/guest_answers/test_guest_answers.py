"""Answering without an account, through HTTP and real mail: a visitor's answer holds
nothing until its link is followed, then takes a place or the waitlist in the members'
line and gets their email; the guest changes or withdraws it from the link in that email;
an address with an account is sent to log in, and the page says the same either way;
signing up with the address makes the guest's answers the member's own; the guest's
later email (a reminder, a new time or place, a cancellation) carries their own link and
no member's settings."""

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.events.guest_answers.support import (
    answer_link,
    answers,
    ask,
    build_picnic,
    confirm_link,
    counters,
    guest_row,
    last_to,
)
from tests.events.support import event_data, local
from tests.polls.support import logged_in
from tests.support.auth import field_error, html
from webapp.accounts.models import EmailToken, User
from webapp.database.times import utcnow
from webapp.events.guest_answers.links import answer_token
from webapp.events.guest_answers.services import forget_idle_guests
from webapp.events.mail.reminders import remind_attendees
from webapp.events.models import Event
from webapp.events.questions.models import EventQuestion
from webapp.events.rsvp.models import Answer
from webapp.events.rsvp.services import answer_event
from webapp.events.services import cancel_event
from webapp.extensions import db
from webapp.groups.models import Group


def member_answers(app, event_id, member_id, answer="going"):
    with app.app_context():
        event = db.session.get(Event, event_id)
        answer_event(db.session.get(User, member_id), event, answer, 0)
        db.session.commit()


def test_a_guest_holds_nothing_until_the_link_then_a_place_and_the_members_email(
    app, client, mailbox
):
    picnic = build_picnic(app)
    page = client.get(f"/events/{picnic.event_id}", follow_redirects=True)
    assert "answer without an account" in html(page)
    assert client.get(f"/events/{picnic.event_id}/as-guest").status_code == 200

    response = ask(client, picnic.event_id)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/events/{picnic.event_id}-picnic")
    assert "Check your inbox" in html(client.get(response.headers["Location"]))
    # Asked, not confirmed: no answer, no place.
    assert answers(app, picnic.event_id) == {}
    link = confirm_link(mailbox)
    assert answers(app, picnic.event_id) == {}
    assert counters(app, picnic.event_id) == (0, 0, 0)

    # A mail scanner's GET confirms nothing; the button's POST does.
    stranger = app.test_client()
    assert stranger.get(link).status_code == 200
    assert answers(app, picnic.event_id) == {}
    confirmed = stranger.submit(link)
    assert confirmed.status_code == 303
    assert "/as-guest/" in confirmed.headers["Location"]
    assert answers(app, picnic.event_id) == {"gus@example.org": ("going", None)}
    assert counters(app, picnic.event_id) == (1, 1, 0)
    own_page = stranger.get(confirmed.headers["Location"])
    assert "You are going." in html(own_page)
    assert 'class="door-pass-code"' in html(own_page)

    # The members' confirmation, with the guest's own link and a door pass.
    going = last_to(mailbox)
    text = mailbox.text(going)
    assert "Hello Gus Guest," in text
    assert "Change or withdraw your answer" in text
    assert "in your settings" not in text
    assert any(part.get("Content-ID") == "<door-qr>" for part in going.walk())
    # The link works once.
    assert stranger.submit(link).status_code == 400

    # Organisers see the guest on the list, marked.
    organiser = logged_in(app, "olu@example.org")
    listing = html(organiser.get(f"/events/{picnic.event_id}/attendees"))
    assert "Gus Guest" in listing and "(without an account)" in listing


def test_a_guest_waits_in_the_members_line_and_is_promoted_by_email(app, client, mailbox):
    picnic = build_picnic(app, capacity=1)
    member_answers(app, picnic.event_id, picnic.members["Amy"])
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    # Zed answers after the guest (and has a lower id): behind the guest in line.
    member_answers(app, picnic.event_id, picnic.members["Zed"])
    given = answers(app, picnic.event_id)
    assert given["gus@example.org"][0] == "waitlisted"
    assert given["zed@example.org"][0] == "waitlisted"
    assert given["gus@example.org"][1] < given["zed@example.org"][1]
    assert "waitlist" in mailbox.text(last_to(mailbox))

    member_answers(app, picnic.event_id, picnic.members["Amy"], "not_going")
    given = answers(app, picnic.event_id)
    assert given["gus@example.org"] == ("going", None)
    assert given["zed@example.org"][0] == "waitlisted"
    promoted = mailbox.text(last_to(mailbox))
    assert "Change or withdraw your answer" in promoted


def test_the_guest_changes_and_withdraws_from_their_link_and_nobody_else_can(app, client, mailbox):
    picnic = build_picnic(app, capacity=1)
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    member_answers(app, picnic.event_id, picnic.members["Zed"])
    own = answer_link(mailbox)
    holder = app.test_client()
    assert holder.get(own).status_code == 200

    # A bad guest count: 422 beside the field, the answer kept.
    refused = holder.submit(own, {"answer": "going", "guests": "5"})
    assert refused.status_code == 422
    assert answers(app, picnic.event_id)["gus@example.org"] == ("going", None)

    withdrawn = holder.submit(own, {"answer": "not_going"}, htmx=True)
    assert withdrawn.status_code == 200 and 'id="guest-answer"' in withdrawn.text
    given = answers(app, picnic.event_id)
    assert given["gus@example.org"] == ("not_going", None)
    # The place went to the next in line.
    assert given["zed@example.org"] == ("going", None)

    # Forged, or another event's link: nothing.
    guest_id = guest_row(app).id
    with app.test_request_context():
        elsewhere = answer_token(picnic.other_event_id, guest_id)
    assert holder.get(f"/events/{picnic.event_id}/as-guest/{elsewhere}").status_code == 404
    assert holder.get(own[:-3] + "abc").status_code == 404
    with app.test_request_context():
        for_member = answer_token(picnic.event_id, picnic.members["Zed"])
    # A well-signed link naming a member (not a guest) sends them to log in.
    member_link = f"/events/{picnic.event_id}/as-guest/{for_member}"
    assert holder.get(member_link).headers["Location"].startswith("/login")


def test_bad_input_is_refused_beside_its_field_and_nothing_is_sent(app, client, mailbox):
    picnic = build_picnic(app)
    cases = [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": "not an address"}, "email", None),
        ({"answer": "not_going"}, "answer", None),
        ({"guests": "3"}, "guests", "up to 1 guest"),
        ({"guests": "-1"}, "guests", "fewer than none"),
    ]
    for change, field, message in cases:
        data = {"name": "Gus", "email": "gus@example.org", "answer": "going", "guests": "0"}
        data.update(change)
        response = client.submit(f"/events/{picnic.event_id}/as-guest", data)
        assert response.status_code == 422, change
        error = field_error(response, field)
        assert error, change
        if message:
            assert message in error, (change, error)
    assert mailbox.messages() == []
    assert guest_row(app) is None


def test_an_address_with_an_account_is_asked_to_log_in_and_the_page_does_not_tell(
    app, client, mailbox
):
    picnic = build_picnic(app)
    unknown = ask(client, picnic.event_id, email="new@example.org")
    known = app.test_client().submit(
        f"/events/{picnic.event_id}/as-guest",
        {"name": "X", "email": "AMY@example.org", "answer": "going", "guests": "0"},
    )
    assert unknown.status_code == known.status_code == 303
    assert unknown.headers["Location"] == known.headers["Location"]
    to_amy = mailbox.text(mailbox.last("amy@example.org"))
    assert "log in to answer" in to_amy.lower() and "/login?next=" in to_amy
    assert "/as-guest/confirm/" not in to_amy
    # Amy's account is untouched: no answer, no link of a guest's, still hers.
    with app.app_context():
        amy = db.session.get(User, picnic.members["Amy"])
        assert not amy.is_guest and amy.first_name == "Amy"
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(EmailToken.user_id == amy.id)) == 0
        )
    assert "amy@example.org" not in answers(app, picnic.event_id)


def test_only_events_of_public_groups_that_allow_guests_take_them(app, client):
    closed = build_picnic(app, allows_guests=False)
    assert client.get(f"/events/{closed.event_id}/as-guest").status_code == 404
    assert ask(client, closed.event_id).status_code == 404
    assert "answer without an account" not in html(
        client.get(f"/events/{closed.event_id}", follow_redirects=True)
    )


def test_a_private_group_takes_no_guests_even_when_its_setting_says_so(app, client):
    private = build_picnic(app, visibility="private")
    assert client.get(f"/events/{private.event_id}/as-guest").status_code == 404


def test_someone_logged_in_answers_with_the_panel_instead(app):
    picnic = build_picnic(app)
    amy = logged_in(app, "amy@example.org")
    response = amy.get(f"/events/{picnic.event_id}/as-guest")
    assert response.status_code == 303


def test_an_expired_link_confirms_nothing_and_the_idle_guest_is_forgotten(app, client, mailbox):
    picnic = build_picnic(app)
    ask(client, picnic.event_id)
    link = confirm_link(mailbox)
    with app.app_context():
        long_ago = utcnow() - timedelta(days=2)
        db.session.execute(sa.update(EmailToken).values(expires_at=long_ago))
        db.session.execute(sa.update(User).where(User.is_guest).values(created_at=long_ago))
        db.session.commit()
    response = client.submit(link)
    assert response.status_code == 400
    assert 'data-reason="expired"' in html(response)
    assert "Answer the event again" in html(response)
    assert answers(app, picnic.event_id) == {}
    with app.app_context():
        assert forget_idle_guests() == 1
    assert guest_row(app) is None


def test_a_guest_with_an_answer_is_kept_by_the_sweep(app, client, mailbox):
    picnic = build_picnic(app)
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    with app.app_context():
        long_ago = utcnow() - timedelta(days=2)
        db.session.execute(sa.update(User).where(User.is_guest).values(created_at=long_ago))
        db.session.commit()
        assert forget_idle_guests() == 0
    assert guest_row(app) is not None


def test_signing_up_with_the_address_makes_the_guests_answers_the_members_own(app, client, mailbox):
    picnic = build_picnic(app, capacity=1)
    member_answers(app, picnic.event_id, picnic.members["Amy"])
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    before = answers(app, picnic.event_id)["gus@example.org"]
    assert before[0] == "waitlisted"
    guest_id = guest_row(app).id

    newcomer = app.test_client()
    signup = {
        "email": "GUS@example.org",
        "first_name": "Gustav",
        "last_name": "Gale",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "time_zone": "Europe/Paris",
    }
    assert newcomer.submit("/signup", signup).status_code == 303
    # Until the address is proven, nothing of the guest's changes, and no login.
    row = guest_row(app)
    assert row.is_guest and row.first_name == "Gus Guest"
    assert (
        newcomer.submit(
            "/login", {"email": "gus@example.org", "password": "a long enough password"}
        ).status_code
        == 422
    )

    verify = re.search(r"https?://[^/\s]+(/verify/\S+)", mailbox.text(last_to(mailbox))).group(1)
    assert newcomer.submit(verify).status_code == 303
    row = guest_row(app)
    assert row.id == guest_id and not row.is_guest
    assert (row.first_name, row.last_name, row.time_zone) == ("Gustav", "Gale", "Europe/Paris")
    # The same answer, with its place in line: no second one.
    assert answers(app, picnic.event_id) == {
        "amy@example.org": ("going", None),
        "gus@example.org": before,
    }
    page = html(newcomer.get(f"/events/{picnic.event_id}", follow_redirects=True))
    assert "On the waitlist" in page
    # The old guest link now asks them to log in.
    with app.test_request_context():
        old = answer_token(picnic.event_id, guest_id)
    assert app.test_client().get(f"/events/{picnic.event_id}/as-guest/{old}").status_code == 303
    # As a verified account on an event that takes guests, they answer with the panel.
    assert (
        newcomer.submit(f"/events/{picnic.event_id}/rsvp", {"answer": "not_going"}).status_code
        == 303
    )
    assert answers(app, picnic.event_id)["gus@example.org"] == ("not_going", None)


def test_a_guest_answers_the_organisers_questions_from_their_page(app, client, mailbox):
    picnic = build_picnic(app)
    organiser = logged_in(app, "olu@example.org")
    organiser.submit(
        f"/events/{picnic.event_id}/questions", {"text": "Any allergies?", "required": "y"}
    )
    ask(client, picnic.event_id)
    own = client.submit(confirm_link(mailbox)).headers["Location"]
    page = html(client.get(own))
    assert "Any allergies?" in page
    with app.app_context():
        question_id = db.session.scalar(sa.select(EventQuestion.id))
    # Going, the required question needs an answer: 422 beside it.
    refused = client.submit(f"{own}/questions", {f"question-{question_id}": ""})
    assert refused.status_code == 422
    assert field_error(refused, f"question-{question_id}")
    saved = client.submit(f"{own}/questions", {f"question-{question_id}": "Peanuts"})
    assert saved.status_code == 303
    csv_text = organiser.get(f"/events/{picnic.event_id}/attendees.csv").text
    assert "Gus Guest,Gus@example.org,yes" in csv_text and "Peanuts" in csv_text


def test_a_guest_may_withdraw_after_the_group_stops_taking_guests(app, client, mailbox):
    picnic = build_picnic(app)
    ask(client, picnic.event_id)
    own = client.submit(confirm_link(mailbox)).headers["Location"]
    with app.app_context():
        db.session.execute(sa.update(Group).values(allows_guests=False))
        db.session.commit()
    assert client.submit(own, {"answer": "maybe"}).status_code == 422
    assert client.submit(own, {"answer": "not_going"}).status_code == 303
    assert answers(app, picnic.event_id)["gus@example.org"] == (Answer.NOT_GOING.value, None)


def test_site_admins_see_guests_marked_and_cannot_make_one_an_admin(app, client, mailbox):
    picnic = build_picnic(app)
    ask(client, picnic.event_id)
    client.submit(confirm_link(mailbox))
    with app.app_context():
        make_user(email="root@example.org", is_site_admin=True)
    admin = logged_in(app, "root@example.org")
    listing = html(admin.get("/admin/users?q=gus"))
    assert "Without an account" in listing
    guest_id = guest_row(app).id
    assert f"/admin/users/{guest_id}/make-admin" not in listing
    refused = admin.submit(f"/admin/users/{guest_id}/make-admin")
    assert refused.status_code in (303, 422)
    assert not guest_row(app).is_site_admin


def test_a_guest_gets_the_reminder_and_the_cancellation_with_their_own_link(app, client, mailbox):
    picnic = build_picnic(app)
    ask(client, picnic.event_id)
    own = client.submit(confirm_link(mailbox)).headers["Location"]
    with app.app_context():
        event = db.session.get(Event, picnic.event_id)
        day_before = event.starts_at - timedelta(hours=23)
    with app.test_request_context(method="POST"):
        assert remind_attendees(picnic.event_id, now=day_before) == 1
        db.session.commit()
    reminder = mailbox.text(last_to(mailbox))
    assert "Change or withdraw your answer" in reminder and own in reminder
    with app.test_request_context(method="POST"):
        olu = db.session.scalar(sa.select(User).where(User.email == "olu@example.org"))
        cancel_event(olu, db.session.get(Event, picnic.event_id))
        db.session.commit()
    cancelled = last_to(mailbox)
    assert "cancel" in cancelled["Subject"].lower()
    # A guest has no settings to reach: the footer's link turns the kind off in one click.
    assert "/unsubscribe/" in mailbox.text(cancelled)
    assert "/settings" not in mailbox.text(cancelled)


def test_a_guest_gets_the_notice_of_a_new_time_with_their_own_link(app, client, mailbox):
    picnic = build_picnic(app)
    amy = logged_in(app, "amy@example.org")
    amy.submit(f"/events/{picnic.event_id}/rsvp", {"answer": "going", "guests": "0"})
    ask(client, picnic.event_id)
    own = client.submit(confirm_link(mailbox)).headers["Location"]
    organiser = logged_in(app, "olu@example.org")
    moved = event_data(
        title="Picnic",
        starts_at=local(days=40, hour=11),
        ends_at=local(days=40, hour=14),
        capacity="2",
        guests_allowed="1",
    )
    assert organiser.submit(f"/events/{picnic.event_id}/manage/edit", moved).status_code == 303

    # A change notice waits out its window (webapp/events/mail/change_notices.py).
    mailbox.after(timedelta(minutes=11))
    notice = last_to(mailbox)
    assert notice["Subject"].startswith("New time")
    text, page = mailbox.text(notice), notice.get_body(preferencelist=("html",)).get_content()
    assert "Hello Gus Guest," in text
    assert own in text and own in page
    assert "/settings" not in text and "/settings" not in page
    assert "/unsubscribe/" in text
    # The member beside them gets the same notice with her settings, and no guest's link.
    to_amy = last_to(mailbox, "amy@example.org")
    assert to_amy["Subject"] == notice["Subject"]
    assert "/settings" in mailbox.text(to_amy) and "/as-guest/" not in mailbox.text(to_amy)
