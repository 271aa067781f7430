"""Notices of a new time or place are coalesced per event and person: the changes of a
window (EVENT_CHANGE_NOTICE_WINDOW) go out as one message with the event as it is when it
goes, at most EVENT_CHANGE_NOTICES_PER_DAY of them per event and person in a day, and a
cancellation drops the notice still waiting. Edited over HTTP, swept and delivered by a
real worker over SMTP; the outbox's clock moves on by tests/support/outbox_clock.py."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.mail.calendar_support import (
    SWIM,
    WALK,
    berlin,
    calendar_of,
    club_with_confirmations_read,
    move,
    organiser,
    read_strictly,
)
from tests.events.support import event_data, local
from tests.support.races import post_at_once, tabs_of
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage, OutboxState

WINDOW = timedelta(minutes=10)
LATER = WINDOW + timedelta(minutes=1)


@pytest.fixture
def club(app, mailbox):
    return club_with_confirmations_read(app, mailbox)


def notices(mailbox, to):
    return [read_strictly(m) for m in mailbox.messages(to) if m["Subject"].startswith("New ")]


def starts_in(message, hour):
    """The message tells of hour:00-hour:30 in Berlin, in its text and its calendar."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    _, event = calendar_of(message)
    return f"{hour:02}:00\N{EN DASH}{hour:02}:30" in text and event.start == berlin(
        local(hour=hour)
    )


def waiting(app):
    with app.app_context():
        return db.session.scalars(
            sa.select(OutboxMessage.recipient).where(OutboxMessage.state == OutboxState.PENDING)
        ).all()


def test_five_edits_in_the_window_are_one_notice_with_the_latest_time(app, club, mailbox):
    owner = organiser(app, club)
    for hour in (9, 10, 11, 12, 13):
        move(owner, club.walk_id, WALK, hour=hour)

    assert mailbox.messages() == []  # the window is still open
    assert sorted(waiting(app)) == [club.ann, club.cyd]

    for person in (club.ann, club.cyd):
        (message,) = mailbox.after(LATER, person)
        assert message["Subject"] == "New time for Canal walk"
        assert starts_in(read_strictly(message), 13)
    assert mailbox.messages(club.bob) == []
    assert mailbox.after(LATER) == mailbox.messages()  # nothing more


def test_a_time_then_a_place_are_named_together(app, club, mailbox):
    owner = organiser(app, club)
    move(owner, club.walk_id, WALK, hour=9)
    move(owner, club.walk_id, WALK, hour=9, venue="The boathouse")

    (message,) = mailbox.after(LATER, club.cyd)
    assert message["Subject"] == "New time and place for Canal walk"
    text = mailbox.text(message)
    assert "The organisers changed the time and place of Canal walk." in text
    assert "Where:  The boathouse, Landwehrkanal, Berlin (new)" in text


def test_the_notice_tells_of_the_event_as_it_is_when_it_goes(app, club, mailbox):
    owner = organiser(app, club)
    move(owner, club.walk_id, WALK, hour=9)
    # A new title alone sends nothing, but the waiting notice goes with it.
    move(owner, club.walk_id, {**WALK, "title": "Canal stroll"}, hour=9)

    (message,) = mailbox.after(LATER, club.ann)
    assert message["Subject"] == "New time for Canal stroll"
    assert "Event:  Canal stroll (Canal club)" in mailbox.text(message)
    _, event = calendar_of(read_strictly(message))
    assert event["SUMMARY"] == "Canal stroll"


def test_each_event_and_each_person_has_a_notice_of_their_own(app, club, mailbox):
    owner = organiser(app, club)
    # The walk (the later id) first, then the swim, then the walk again.
    move(owner, club.walk_id, WALK, hour=9)
    move(owner, club.swim_id, SWIM, hour=15)
    move(owner, club.walk_id, WALK, hour=10)
    move(owner, club.swim_id, SWIM, hour=16)

    mailbox.after(LATER)
    ann = {message["Subject"]: message for message in notices(mailbox, club.ann)}
    assert sorted(ann) == ["New time for Canal walk", "New time for Lake swim"]
    assert starts_in(ann["New time for Canal walk"], 10)
    assert starts_in(ann["New time for Lake swim"], 16)
    (bob,) = notices(mailbox, club.bob)
    assert bob["Subject"] == "New time for Lake swim" and starts_in(bob, 16)
    (cyd,) = notices(mailbox, club.cyd)
    assert cyd["Subject"] == "New time for Canal walk" and starts_in(cyd, 10)
    assert "you're on the waitlist for this event" in mailbox.text(cyd)


def test_a_day_holds_at_most_three_notices_then_the_next_waits_for_the_day(app, club, mailbox):
    owner = organiser(app, club)
    for hour in (9, 10, 11):
        move(owner, club.swim_id, SWIM, hour=hour)
        mailbox.after(LATER)
    sent = notices(mailbox, club.bob)
    assert len(sent) == 3
    assert all(starts_in(message, hour) for message, hour in zip(sent, (9, 10, 11), strict=True))

    move(owner, club.swim_id, SWIM, hour=12)
    move(owner, club.swim_id, SWIM, hour=14)
    mailbox.after(LATER)
    mailbox.after(timedelta(hours=20))
    assert len(notices(mailbox, club.bob)) == 3
    move(owner, club.swim_id, SWIM, hour=15)
    assert sorted(waiting(app)) == [club.ann, club.bob]  # the same two, told of it

    # A day after the first of the three, the fourth goes, with the latest time.
    mailbox.after(timedelta(hours=4))
    fourth = notices(mailbox, club.bob)[3:]
    assert len(fourth) == 1 and starts_in(fourth[0], 15)
    assert len(notices(mailbox, club.ann)) == 4
    assert waiting(app) == []


def test_a_cancellation_drops_the_notice_still_waiting(app, club, mailbox):
    owner = organiser(app, club)
    move(owner, club.walk_id, WALK, hour=9)
    move(owner, club.swim_id, SWIM, hour=9)

    assert owner.submit(f"/events/{club.walk_id}/manage/cancel").status_code == 303

    mailbox.after(LATER)
    for person in (club.ann, club.cyd):
        subjects = [message["Subject"] for message in mailbox.messages(person)]
        assert "New time for Canal walk" not in subjects
        assert "Cancelled: Canal walk" in subjects
    # The other event's notice stands.
    assert [m["Subject"] for m in notices(mailbox, club.bob)] == ["New time for Lake swim"]
    assert "New time for Lake swim" in [m["Subject"] for m in notices(mailbox, club.ann)]


def test_edits_at_the_same_moment_make_one_notice_each(app, club, mailbox):
    tabs = tabs_of(app, club.owner, 4)
    hours = (9, 10, 11, 12)

    def form(index):
        hour = hours[index]
        return event_data(**WALK, starts_at=local(hour=hour), ends_at=local(hour=hour, minute=30))

    statuses = post_at_once(tabs, f"/events/{club.walk_id}/manage/edit", form)

    assert statuses == [303] * 4
    assert sorted(waiting(app)) == [club.ann, club.cyd]
    assert len(mailbox.after(LATER, club.ann)) == 1
