"""Per-user limits on the event routes that send mail: answering (a confirmation, and a
promotion for the next in line when one leaves), and organisers' changes that mail the
people going (a new time or place, a cancellation, a promotion after a removal).

Without them one person could make Hearth send mail without end: toggling "going" mails a
confirmation each time, moving an event back and forth mails everyone on its list.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.auth.test_protections import assert_too_many
from tests.events.rsvp.support import event_with_members
from tests.events.support import event_data, local
from tests.support.auth import html, login_data
from webapp.events.rsvp.models import Rsvp
from webapp.extensions import db

OTHER_CLIENT = {"REMOTE_ADDR": "10.0.0.2"}


def logged_in(app, email, **kwargs):
    client = app.test_client()
    assert client.submit("/login", login_data(email), **kwargs).status_code == 303
    return client


@pytest.fixture
def house(app):
    """A published event with room for all, its owner and two members."""
    with app.app_context():
        return event_with_members(2, title="Supper club")


def answer(client, setup, choice, htmx=False, **kwargs):
    return client.submit(f"/events/{setup.event_id}/rsvp", {"answer": choice}, htmx=htmx, **kwargs)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_answering_is_limited_per_user_and_so_are_its_confirmations(
    app, house, mailbox, monkeypatch, htmx
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_ANSWER", "4 per minute")
    member = logged_in(app, house.emails[0])
    choices = ["going", "not_going", "going", "not_going"]

    statuses = [answer(member, house, choice, htmx=htmx).status_code for choice in choices]
    refused = answer(member, house, "going", htmx=htmx)

    assert 429 not in statuses
    assert_too_many(refused)
    assert ("<html" in html(refused)) is not htmx
    # Two confirmations of "going", and none for the refused fifth answer.
    assert len(mailbox.messages(to=house.emails[0])) == 2
    # Only answers are counted: the panel and the page still load.
    assert member.get(f"/events/{house.event_id}/rsvp").status_code == 200


def test_the_answer_limit_follows_the_user_and_leaves_others_alone(
    app, house, mailbox, monkeypatch
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_ANSWER", "2 per minute")
    first = logged_in(app, house.emails[0])
    second = logged_in(app, house.emails[0], environ_base=OTHER_CLIENT)

    assert answer(first, house, "going").status_code == 303
    assert answer(second, house, "maybe", environ_base=OTHER_CLIENT).status_code == 303
    assert_too_many(answer(second, house, "going", environ_base=OTHER_CLIENT))
    other_member = logged_in(app, house.emails[1])
    assert answer(other_member, house, "going").status_code == 303


def test_changing_the_time_is_limited_per_organiser(app, house, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_EVENT_NOTICES", "2 per minute")
    member = logged_in(app, house.emails[0])
    assert answer(member, house, "going").status_code == 303
    owner = logged_in(app, house.owner_email)
    edit = f"/events/{house.event_id}/manage/edit"
    times = [(19, 21), (18, 20), (17, 19)]

    moved = [
        owner.submit(edit, event_data(starts_at=local(hour=s), ends_at=local(hour=e)))
        for s, e in times
    ]

    assert [response.status_code for response in moved[:2]] == [303, 303]
    assert_too_many(moved[2])
    # The confirmation, then one notice of the accepted moves (one window, coalesced);
    # the edit form still opens.
    assert len(mailbox.after(timedelta(minutes=11), to=house.emails[0])) == 2
    assert owner.get(edit).status_code == 200


def test_cancelling_and_removing_draw_on_the_same_budget(app, house, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_EVENT_NOTICES", "2 per minute")
    for email in house.emails:
        assert answer(logged_in(app, email), house, "going").status_code == 303
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(Rsvp.id).where(Rsvp.event_id == house.event_id).order_by(Rsvp.id)
        ).all()
    owner = logged_in(app, house.owner_email)
    attendees = f"/events/{house.event_id}/attendees"

    assert owner.submit(f"{attendees}/{first}/remove").status_code == 303
    assert owner.submit(f"{attendees}/{second}/remove").status_code == 303
    assert_too_many(owner.submit(f"/events/{house.event_id}/manage/cancel"))
    # Asking (GET) is not counted.
    assert owner.get(f"/events/{house.event_id}/manage/cancel").status_code == 200
