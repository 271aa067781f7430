"""Event email goes out in its recipient's language, whoever's action sent it and whatever
language that person's page was in: an English-speaking organiser's action mails a
Spanish-speaking member in Spanish, and a member's own answer from a browser in English
still gets the language of their setting. Whether the worker renders it (an answer's
confirmation, a promotion, a change notice) or the action that sends it does (a
cancellation, a reminder), each message is in its own recipient's language: its text,
and its HTML's lang."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.events.mail.support import make_party
from tests.events.support import event_data, local
from tests.support.auth import login_data
from webapp.accounts.models import User
from webapp.events.models import Event
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.web.languages import LANGUAGE_COOKIE

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ENGLISH = {"Accept-Language": "en"}
# Past the time a change notice waits for more changes.
NOTICE_WINDOW = timedelta(minutes=11)


def with_languages(app, party):
    """The organiser reads English, Ann Spanish; Bob has no setting (the site's default)."""
    with app.app_context():
        for user_id, language in [(party.owner_id, "en"), (party.ann_id, "es")]:
            db.session.get(User, user_id).language = language
        db.session.commit()
    return party


@pytest.fixture
def party(app):
    return with_languages(app, make_party(app, capacity=1))


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def ann_goes_and_bob_waits(app, mailbox, party):
    """Ann takes the one place, Bob joins the waitlist; their confirmations read."""
    answer_going(logged_in(app, party.ann_email), party)
    answer_going(logged_in(app, party.bob_email), party)
    mailbox.messages()
    mailbox.listener.clear()


def assert_ann_reads_spanish_and_bob_english(mailbox, party, ann_message):
    assert '<html lang="es" dir="ltr">' in html_of(ann_message)
    assert '<html lang="en" dir="ltr">' in html_of(mailbox.last(party.bob_email))


def logged_in(app, email):
    client = app.test_client()
    client.set_cookie(LANGUAGE_COOKIE, "en")
    assert client.submit("/login", login_data(email), headers=ENGLISH).status_code == 303
    return client


def answer_going(client, party, guests=0):
    response = client.submit(
        f"/events/{party.event_id}/rsvp",
        {"answer": "going", "guests": str(guests)},
        headers=ENGLISH,
    )
    assert response.status_code in (200, 303)


def test_a_spanish_members_own_answer_is_confirmed_in_spanish(app, mailbox, party):
    ann = logged_in(app, party.ann_email)
    answer_going(ann, party)

    message = mailbox.last(party.ann_email)
    assert message["Subject"] == "Vas a asistir a Summer picnic"
    text = mailbox.text(message)
    assert "Has dicho que vas a asistir a Summer picnic. ¡Nos vemos allí!" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Has dicho que vas a asistir a <strong>Summer picnic</strong>." in html


def test_an_english_organisers_action_mails_the_spanish_member_in_spanish(app, mailbox, party):
    bob = logged_in(app, party.bob_email)
    answer_going(bob, party)  # the only place
    ann = logged_in(app, party.ann_email)
    answer_going(ann, party)  # the waitlist
    with app.app_context():
        bobs = db.session.scalar(
            sa.select(Rsvp.id).where(Rsvp.event_id == party.event_id, Rsvp.user_id == party.bob_id)
        )

    organiser = logged_in(app, party.owner_email)
    removed = organiser.submit(f"/events/{party.event_id}/attendees/{bobs}/remove", headers=ENGLISH)
    assert removed.status_code == 303
    # The organiser's own page stays in English.
    page = organiser.get(removed.location, headers=ENGLISH).get_data(as_text=True)
    assert '<html lang="en"' in page

    promoted = mailbox.last(party.ann_email)
    assert promoted["Subject"] == "Se ha liberado una plaza: vas a asistir a Summer picnic"
    assert "Buenas noticias: se ha liberado una plaza en Summer picnic" in mailbox.text(promoted)
    # Bob, with no setting, reads the site's default, English.
    assert mailbox.last(party.bob_email)["Subject"] == "You're going to Summer picnic"


@pytest.mark.parametrize(
    ("guests", "line"),
    [
        (1, "Has dicho que vas a asistir a Summer picnic, con 1 acompañante. ¡Nos vemos allí!"),
        (2, "Has dicho que vas a asistir a Summer picnic, con 2 acompañantes. ¡Nos vemos allí!"),
    ],
)
def test_guests_are_counted_in_the_recipients_plural_forms(app, mailbox, party, guests, line):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        event.capacity, event.guests_allowed = 5, 2
        db.session.commit()
    ann = logged_in(app, party.ann_email)
    answer_going(ann, party, guests=guests)
    assert line in mailbox.text(mailbox.last(party.ann_email))


def test_joining_the_waitlist_is_confirmed_in_the_recipients_language(app, mailbox, party):
    answer_going(logged_in(app, party.bob_email), party)  # the only place
    answer_going(logged_in(app, party.ann_email), party)  # the waitlist

    assert_ann_reads_spanish_and_bob_english(mailbox, party, mailbox.last(party.ann_email))
    assert mailbox.last(party.bob_email)["Subject"] == "You're going to Summer picnic"


def test_an_english_organisers_change_is_noticed_in_each_recipients_language(app, mailbox, party):
    ann_goes_and_bob_waits(app, mailbox, party)
    organiser = logged_in(app, party.owner_email)

    edit = event_data(title="Summer picnic", starts_at=local(hour=19), capacity="1")
    response = organiser.submit(f"/events/{party.event_id}/manage/edit", edit, headers=ENGLISH)
    assert response.status_code == 303

    (notice,) = mailbox.after(NOTICE_WINDOW, party.ann_email)
    assert_ann_reads_spanish_and_bob_english(mailbox, party, notice)
    bob = mailbox.last(party.bob_email)
    assert bob["Subject"] == "New time and place for Summer picnic"
    assert "The organisers changed the time and place of Summer picnic." in mailbox.text(bob)


def test_an_english_organisers_cancellation_is_in_each_recipients_language(app, mailbox, party):
    ann_goes_and_bob_waits(app, mailbox, party)
    organiser = logged_in(app, party.owner_email)

    response = organiser.submit(f"/events/{party.event_id}/manage/cancel", headers=ENGLISH)
    assert response.status_code == 303

    assert_ann_reads_spanish_and_bob_english(mailbox, party, mailbox.last(party.ann_email))
    assert mailbox.last(party.bob_email)["Subject"] == "Cancelled: Summer picnic"


def test_the_reminder_is_in_the_recipients_language(app, mailbox):
    party = with_languages(app, make_party(app, starts_in=timedelta(hours=23)))
    answer_going(logged_in(app, party.ann_email), party)
    answer_going(logged_in(app, party.bob_email), party)
    mailbox.messages()
    mailbox.listener.clear()

    with app.app_context():
        get_queue().enqueue("webapp.events.mail.reminders.send_reminder", party.event_id)

    assert_ann_reads_spanish_and_bob_english(mailbox, party, mailbox.last(party.ann_email))
    assert mailbox.last(party.bob_email)["Subject"].startswith("Reminder: Summer picnic, ")
