"""Event email from real answers, end to end: HTTP answers, the RSVP rules, the mail
receivers, the outbox, a real RQ worker and the SMTP listener, each message once."""

import pytest

from tests.events.rsvp.support import event_with_members
from tests.support.auth import login_data


def logged_in(app, email):
    client = app.test_client()
    assert client.submit("/login", login_data(email)).status_code == 303
    return client


@pytest.fixture
def one_place(app):
    with app.app_context():
        return event_with_members(2, capacity=1, title="Lantern walk")


def subjects(mailbox, to):
    return [message["Subject"] for message in mailbox.messages(to)]


def test_a_freed_place_goes_to_the_first_in_line_who_is_told_once(app, one_place, mailbox):
    first, second = (logged_in(app, email) for email in one_place.emails)
    answer = f"/events/{one_place.event_id}/rsvp"
    assert first.submit(answer, {"answer": "going", "guests": "0"}).status_code == 303
    assert second.submit(answer, {"answer": "going", "guests": "0"}).status_code == 303
    assert subjects(mailbox, one_place.emails[0]) == ["You're going to Lantern walk"]
    assert subjects(mailbox, one_place.emails[1]) == ["You're on the waitlist for Lantern walk"]

    assert first.submit(answer, {"answer": "not_going"}).status_code == 303

    promoted = subjects(mailbox, one_place.emails[1])
    assert promoted == [
        "You're on the waitlist for Lantern walk",
        "A place opened up: you're going to Lantern walk",
    ]
    message = mailbox.last(one_place.emails[1])
    assert f"/events/{one_place.event_id}-lantern-walk" in mailbox.text(message)
    # Nothing more for the one who left, and no second promotion on a repeated answer.
    assert first.submit(answer, {"answer": "not_going"}).status_code == 303
    assert subjects(mailbox, one_place.emails[0]) == ["You're going to Lantern walk"]
    assert len(subjects(mailbox, one_place.emails[1])) == 2


def test_cancelling_tells_everyone_going_or_waiting(app, one_place, mailbox):
    first, second = (logged_in(app, email) for email in one_place.emails)
    answer = f"/events/{one_place.event_id}/rsvp"
    first.submit(answer, {"answer": "going", "guests": "0"})
    second.submit(answer, {"answer": "going", "guests": "0"})
    mailbox.messages()  # the confirmations, delivered
    owner = logged_in(app, one_place.owner_email)
    cancelled = owner.submit(f"/events/{one_place.event_id}/manage/cancel")
    assert cancelled.status_code == 303
    for email in one_place.emails:
        assert subjects(mailbox, email)[-1] == "Cancelled: Lantern walk"
