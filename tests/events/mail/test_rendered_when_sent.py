"""An answer's confirmation, and the promotion of whoever a freed place goes to, are
written with the change but rendered by the worker that sends them
(webapp/outbox/rendering.py): the change holds its event's lock until it commits, and the
two templates of a confirmation were a tenth of an answer's work there."""

import contextlib

import pytest
import sqlalchemy as sa
from flask import template_rendered

from tests.events.mail.support import answer, make_party
from tests.support.auth import login_data
from tests.support.other_apps import app_like
from webapp.accounts.models import User
from webapp.events.mail.models import EventMailKind
from webapp.events.mail.sending import send_event_mail_rendered_when_sent
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.outbox import services
from webapp.outbox.models import OutboxMessage, OutboxState


@pytest.fixture
def party(app):
    return make_party(app, capacity=1)


def outbox_rows(app, recipient):
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return found


@contextlib.contextmanager
def templates_rendered(app):
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        yield names


def test_an_answer_writes_its_confirmation_and_renders_no_email(app, client, mailbox, party):
    assert client.submit("/login", login_data(party.ann_email)).status_code == 303
    client.submit(f"/events/{party.event_id}/rsvp", {"answer": "going"}, htmx=True)  # the place
    assert client.submit("/logout").status_code in (302, 303)
    assert client.submit("/login", login_data(party.bob_email)).status_code == 303
    with templates_rendered(app) as names:
        response = client.submit(f"/events/{party.event_id}/rsvp", {"answer": "going"}, htmx=True)
    assert response.status_code == 200
    assert "on the waitlist" in response.get_data(as_text=True)
    assert [name for name in names if name.startswith("email/")] == []
    (row,) = outbox_rows(app, party.bob_email)
    assert (row.kind, row.text_body, row.html_body) == ("events/waitlisted", "", "")
    assert row.subject == "You're on the waitlist for Summer picnic"
    assert row.render_args == {
        "user": party.bob_id,
        "event": party.event_id,
        "kind": "confirmation",
        "answer": "waitlisted",
        "guests": 0,
        "context": {"place": 1},
        "language": "en",
    }

    text = mailbox.text(mailbox.last(party.bob_email))
    assert "Hello Bob" in text
    assert "number 1 in line" in text
    (row,) = outbox_rows(app, party.bob_email)
    assert (row.state, row.text_body, row.render_args) == (OutboxState.SENT, "", None)


def test_a_freed_place_writes_the_promotion_and_renders_no_email(app, client, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING)  # the one place
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    assert client.submit("/login", login_data(party.ann_email)).status_code == 303
    with templates_rendered(app) as names:
        response = client.submit(
            f"/events/{party.event_id}/rsvp", {"answer": "not_going"}, htmx=True
        )
    assert response.status_code == 200
    assert [name for name in names if name.startswith("email/")] == []
    promotion = outbox_rows(app, party.bob_email)[-1]
    assert (promotion.kind, promotion.text_body, promotion.html_body) == ("events/promoted", "", "")
    assert promotion.subject == "A place opened up: you're going to Summer picnic"
    assert promotion.render_args == {
        "user": party.bob_id,
        "event": party.event_id,
        "kind": "promotion",
        "answer": "going",
        "guests": 0,
        "context": {},
        "language": "en",
    }

    message = mailbox.last(party.bob_email)
    assert message["Subject"] == "A place opened up: you're going to Summer picnic"
    assert "a place opened up at Summer picnic" in mailbox.text(message)
    assert outbox_rows(app, party.bob_email)[-1].state == OutboxState.SENT


def test_without_redis_the_web_process_renders_and_sends_it_after_the_commit(
    app, smtp_listener, party
):
    settings = {"REDIS_URL": None, "JOBS_ASYNC": False, "RATELIMIT_STORAGE_URI": "memory://"}
    with app_like(app, **settings) as embedded:
        member = embedded.test_client()
        assert member.submit("/login", login_data(party.ann_email)).status_code == 303
        response = member.submit(f"/events/{party.event_id}/rsvp", {"answer": "going"}, htmx=True)
        assert "You are going." in response.get_data(as_text=True)
    (message,) = [m for m in smtp_listener.messages if party.ann_email in m["To"]]
    assert message["Subject"] == "You're going to Summer picnic"
    assert "Hello Ann" in message.get_body(preferencelist=("plain",)).get_content()
    (row,) = outbox_rows(app, party.ann_email)
    assert row.state == OutboxState.SENT


def test_the_confirmation_tells_of_the_answer_as_it_was_written(app, mailbox, party):
    answer(app, party.event_id, party.ann_id, Answer.GOING, guests=2)
    # Changed before the worker gets to it: the first email still says what was answered.
    answer(app, party.event_id, party.ann_id, Answer.NOT_GOING)
    (message,) = mailbox.messages(party.ann_email)
    assert "You said you're going to Summer picnic, with 2 guests." in mailbox.text(message)


def test_a_confirmation_whose_reader_is_gone_by_then_is_discarded(app, mailbox, party):
    answer(app, party.event_id, party.bob_id, Answer.GOING)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == party.bob_id))
        db.session.commit()
    assert mailbox.messages(party.bob_email) == []
    (row,) = outbox_rows(app, party.bob_email)
    assert row.state == OutboxState.DISCARDED
    assert "gone" in row.last_error


def test_a_message_of_a_kind_nobody_renders_fails_as_a_send_would(app, mailbox):
    with app.app_context():
        message = services.add_message("events/nobody", "ivy@example.org", "Hi", "", render_args={})
        db.session.commit()
        message_id = message.id
    assert mailbox.messages("ivy@example.org") == []
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
        assert "no renderer for 'events/nobody'" in row.last_error


def test_only_confirmations_and_promotions_wait_for_the_worker(app, party):
    with app.app_context():
        user, event = db.session.get(User, party.ann_id), db.session.get(Event, party.event_id)
        with pytest.raises(ValueError, match="rendered when it is written"):
            send_event_mail_rendered_when_sent(
                user, event, EventMailKind.CHANGES, "changed", "Hi", None
            )
