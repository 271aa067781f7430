"""Event email, as people receive it: the receivers of the events' signals write outbox
rows, a real RQ worker delivers them over SMTP, and each says why it came, links to the
event and to the setting that turns its kind off, with times in both zones."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.events.mail.support import answer, cancel, change, make_party, promote
from webapp.accounts.models import User
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage

# 16:00 in New York on a summer Saturday is 22:00 in Berlin.
STARTS_AT = datetime(2031, 7, 5, 20, 0, tzinfo=UTC)
SETTINGS_LINK = "http://localhost/settings#event-mail"
# Past the time a change notice waits for more changes.
NOTICE_WINDOW = timedelta(minutes=11)


@pytest.fixture
def party(app):
    return make_party(
        app,
        venue="Old Oak",
        address="1 Park Lane",
        time_zone="America/New_York",
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + timedelta(hours=3),
    )


def event_link(party):
    return f"http://localhost/events/{party.event_id}-summer-picnic"


def set_user(app, user_id, **fields):
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(**fields))
        db.session.commit()


def opt_out(app, user_id, *kinds):
    with app.app_context():
        for kind in kinds:
            db.session.add(EventMailOptOut(user_id=user_id, kind=kind))
        db.session.commit()


def kinds_sent(app):
    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()


def test_going_is_confirmed_with_why_links_and_both_time_zones(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING, guests=2)

    message = mailbox.last(party.ann_email)
    text = mailbox.text(message)
    assert message["Subject"] == "You're going to Summer picnic"
    assert "Hello Ann" in text
    assert "with 2 guests" in text
    assert "Saturday 5 July 2031, 16:00\N{EN DASH}19:00 EDT (America/New_York)" in text
    assert "Saturday 5 July 2031, 22:00\N{EN DASH}01:00" not in text  # ends on the next day
    assert (
        "Saturday 5 July 2031, 22:00 CEST \N{EN DASH} Sunday 6 July 2031, 01:00 CEST "
        "in your time zone (Europe/Berlin)" in text
    )
    assert "Where:  Old Oak, 1 Park Lane" in text
    assert f"See the event: {event_link(party)}" in text
    assert f"http://localhost/events/{party.event_id}/calendar.ics" in text
    assert 'You get this email because you answered "going" to this event.' in text
    assert f"turn off confirmations of your answers in your settings: {SETTINGS_LINK}" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{event_link(party)}"' in html
    assert f'href="{SETTINGS_LINK}"' in html
    assert mailbox.link(party.ann_email) == f"/events/{party.event_id}-summer-picnic"


def test_someone_in_the_events_zone_sees_one_time(app, mailbox, party):
    set_user(app, party.bob_id, time_zone="America/New_York")
    answer(app, party.event_id, party.bob_id, Answer.GOING)

    text = mailbox.text(mailbox.last(party.bob_email))
    assert "16:00\N{EN DASH}19:00 EDT (America/New_York)" in text
    assert "in your time zone" not in text


def test_the_waitlist_is_confirmed_with_the_place_in_line(app, mailbox, party):
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    answer(app, party.event_id, party.ann_id, Answer.WAITLISTED)

    message = mailbox.last(party.ann_email)
    text = mailbox.text(message)
    assert message["Subject"] == "You're on the waitlist for Summer picnic"
    assert "number 2 in line" in text
    assert "because you asked to go to this event and joined its waitlist" in text


def test_maybe_not_going_and_an_unchanged_answer_send_nothing(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.MAYBE)
    answer(app, party.event_id, party.bob_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.GOING, guests=1)
    answer(app, party.event_id, party.bob_id, Answer.NOT_GOING)

    assert mailbox.messages(party.ann_email) == []
    assert len(mailbox.messages(party.bob_email)) == 1


def test_a_promotion_from_the_waitlist_is_mailed(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.WAITLISTED)
    promote(app, party.event_id, party.ann_id)

    message = mailbox.last(party.ann_email)
    assert message["Subject"] == "A place opened up: you're going to Summer picnic"
    text = mailbox.text(message)
    assert "You're going now." in text
    assert "because you were on the waitlist for this event" in text
    assert f"turn off waitlist promotions in your settings: {SETTINGS_LINK}" in text


def test_a_new_time_goes_to_everyone_going_or_waiting(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    answer(app, party.event_id, party.owner_id, Answer.MAYBE)
    mailbox.messages()
    mailbox.listener.clear()

    later = STARTS_AT + timedelta(hours=1)
    change(app, party.event_id, starts_at=later, ends_at=later + timedelta(hours=3))

    # A notice waits for the edits of the next minutes (test_change_notices.py).
    assert mailbox.after(NOTICE_WINDOW, party.owner_email) == []
    bob = mailbox.last(party.bob_email)
    assert bob["Subject"] == "New time for Summer picnic"
    text = mailbox.text(bob)
    assert "The organisers changed the time of Summer picnic." in text
    assert "17:00\N{EN DASH}20:00 EDT (America/New_York) (new)" in text
    assert "because you're on the waitlist for this event" in text
    ann = mailbox.text(mailbox.last(party.ann_email))
    assert "because you said you're going to this event" in ann
    assert f"notices of changed times and places in your settings: {SETTINGS_LINK}" in ann


def test_a_new_place_is_mailed_and_other_edits_are_not(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    mailbox.messages()
    mailbox.listener.clear()

    change(app, party.event_id, title="Summer picnic", description="Bring a blanket.")
    assert mailbox.messages(party.ann_email) == []

    change(app, party.event_id, venue="Village hall", address="2 Church Road")
    (message,) = mailbox.after(NOTICE_WINDOW, party.ann_email)
    assert message["Subject"] == "New place for Summer picnic"
    assert "Where:  Village hall, 2 Church Road (new)" in mailbox.text(message)


def test_a_cancellation_goes_to_everyone_going_or_waiting(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    answer(app, party.event_id, party.owner_id, Answer.NOT_GOING)
    mailbox.messages()
    mailbox.listener.clear()

    cancel(app, party.event_id)

    assert mailbox.messages(party.owner_email) == []
    for email in (party.ann_email, party.bob_email):
        message = mailbox.last(email)
        assert message["Subject"] == "Cancelled: Summer picnic"
        text = mailbox.text(message)
        assert "The organisers cancelled Summer picnic." in text
        assert ".ics" not in text
        assert f"turn off cancellation notices in your settings: {SETTINGS_LINK}" in text


@pytest.mark.parametrize(
    ("kind", "act"),
    [
        (EventMailKind.CONFIRMATION, lambda app, p: answer(app, p.event_id, p.ann_id, "going")),
        (EventMailKind.PROMOTION, lambda app, p: promote(app, p.event_id, p.ann_id)),
        (EventMailKind.CHANGES, lambda app, p: change(app, p.event_id, venue="Elsewhere")),
        (EventMailKind.CANCELLATIONS, lambda app, p: cancel(app, p.event_id)),
    ],
)
def test_each_kind_can_be_turned_off(app, mailbox, party, kind, act):
    answer(app, party.event_id, party.ann_id, Answer.WAITLISTED)
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    opt_out(app, party.ann_id, kind)
    mailbox.messages()
    mailbox.listener.clear()

    act(app, party)
    if kind == EventMailKind.PROMOTION:
        promote(app, party.event_id, party.bob_id)
    if kind == EventMailKind.CONFIRMATION:
        answer(app, party.event_id, party.bob_id, Answer.GOING)

    assert mailbox.after(NOTICE_WINDOW, party.ann_email) == []
    assert len(mailbox.messages(party.bob_email)) == 1


def test_the_profile_switch_turns_every_kind_off(app, mailbox, party):
    set_user(app, party.ann_id, email_notifications=False)

    answer(app, party.event_id, party.ann_id, Answer.GOING)
    change(app, party.event_id, venue="Elsewhere")
    cancel(app, party.event_id)

    assert mailbox.after(NOTICE_WINDOW, party.ann_email) == []
    assert kinds_sent(app) == []


def test_a_member_who_left_a_private_group_hears_no_more(app, mailbox):
    party = make_party(app, visibility="private")
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.GOING)
    with app.app_context():
        from webapp.groups.models import Membership

        db.session.execute(sa.delete(Membership).where(Membership.user_id == party.bob_id))
        db.session.commit()
    mailbox.messages()
    mailbox.listener.clear()

    cancel(app, party.event_id)

    assert len(mailbox.messages(party.ann_email)) == 1
    assert mailbox.messages(party.bob_email) == []


def test_a_rolled_back_answer_sends_nothing(app, mailbox, party):
    from webapp.events import signals
    from webapp.events.models import Event
    from webapp.events.rsvp.models import Rsvp

    with app.app_context():
        event = db.session.get(Event, party.event_id)
        rsvp = Rsvp(event_id=event.id, user_id=party.ann_id, answer=Answer.GOING)
        db.session.add(rsvp)
        db.session.flush()
        signals.rsvp_answered.send(event, rsvp=rsvp, previous=None)
        db.session.rollback()

    assert mailbox.messages() == []
    assert kinds_sent(app) == []
