"""The email of a cancelled or moved event carries the event's calendar entry, so that a
calendar app that imported the event follows: METHOD:CANCEL with STATUS:CANCELLED, or the
new version (METHOD:PUBLISH), with the UID of the event's .ics download and a higher
SEQUENCE. Edited and cancelled over HTTP, delivered by a real worker over SMTP, read
strictly."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.mail.calendar_support import (
    WALK,
    berlin,
    calendar_of,
    club_with_confirmations_read,
    downloaded,
    make_club,
    move,
    organiser,
    read_strictly,
)
from tests.events.support import local
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState

LATER = timedelta(minutes=11)


@pytest.fixture
def club(app, mailbox):
    return club_with_confirmations_read(app, mailbox)


def test_a_cancellation_carries_the_events_calendar_cancellation(app, club, mailbox):
    owner = organiser(app, club)
    before = downloaded(owner, club.walk_id)

    assert owner.submit(f"/events/{club.walk_id}/manage/cancel").status_code == 303

    after = downloaded(owner, club.walk_id)
    for person in (club.ann, club.cyd):  # going, and waiting
        message = read_strictly(mailbox.last(person))
        assert message["Subject"] == "Cancelled: Canal walk"
        assert message.get_content_type() == "multipart/mixed"
        assert "The organisers cancelled Canal walk." in mailbox.text(message)
        method, event = calendar_of(message)
        assert method == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event["UID"] == before["UID"]
        assert event["SEQUENCE"] > before.get("SEQUENCE", 0)
        assert event["SEQUENCE"] == after["SEQUENCE"]
        assert str(event["ATTENDEE"]) == f"mailto:{person}"
        assert str(event["ORGANIZER"]).startswith("mailto:")
    assert mailbox.messages(club.bob) == []  # the swim goes ahead
    # Once sent, a row keeps who, what and when; not its bodies, nor its attachments.
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                OutboxMessage.state, OutboxMessage.text_body, OutboxMessage.attachments
            ).where(OutboxMessage.kind == "events/cancelled")
        ).all()
    assert rows == [(OutboxState.SENT, "", None)] * 2


def test_a_new_time_carries_the_updated_event(app, club, mailbox):
    owner = organiser(app, club)
    before = downloaded(owner, club.walk_id)

    move(owner, club.walk_id, WALK, hour=9)

    (message,) = mailbox.after(LATER, club.cyd)
    message = read_strictly(message)
    assert message["Subject"] == "New time for Canal walk"
    method, event = calendar_of(message)
    assert method == "PUBLISH"
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == before["UID"]
    assert event["SEQUENCE"] > before.get("SEQUENCE", 0)
    assert event.start == berlin(local(hour=9))
    assert event.end == berlin(local(hour=9, minute=30))
    assert "ATTENDEE" not in event


def test_a_new_place_carries_the_updated_event(app, club, mailbox):
    owner = organiser(app, club)
    move(owner, club.walk_id, WALK, venue="The boathouse")

    (message,) = mailbox.after(LATER, club.ann)
    message = read_strictly(message)
    assert message["Subject"] == "New place for Canal walk"
    method, event = calendar_of(message)
    assert method == "PUBLISH"
    assert str(event["LOCATION"]).startswith("The boathouse")


def test_other_event_mail_carries_no_calendar(app, mailbox):
    make_club(app)
    confirmations = [read_strictly(message) for message in mailbox.messages()]
    assert len(confirmations) == 4
    for message in confirmations:
        assert message.get_content_type() == "multipart/alternative"
        assert list(message.iter_attachments()) == []
