"""An announcement reaches exactly its people, once each, by email and on the page."""

import pytest
import sqlalchemy as sa

from tests.accounts.factories import make_user
from tests.announcements.support import (
    announce_to_group,
    announcement_data,
    announcements,
    subjects_to,
)
from tests.groups.factories import add_member
from tests.polls.support import logged_in
from tests.tasks.factories import going
from webapp.accounts.models import User
from webapp.announcements import sending
from webapp.announcements.models import AnnouncementState
from webapp.events.models import Event
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.groups.models import Group

SUBJECT_PREFIX = "Picnic moved"


def test_a_group_announcement_mails_every_member_once_and_nobody_else(app, party, mailbox):
    _client, response = announce_to_group(app, party)

    assert response.status_code == 303
    (announcement,) = announcements(app)
    assert response.location == f"/announcements/{announcement.id}"
    for member in [party.owner, party.organiser, *party.members]:
        (message,) = [m for m in mailbox.messages(member) if SUBJECT_PREFIX in m["Subject"]]
        assert message["Subject"].endswith(": Picnic moved")
        assert message["List-Unsubscribe"].startswith("<http")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = mailbox.text(message)
        assert "We meet at **noon**." in text
        assert f"/announcements/{announcement.id}" in text
    assert subjects_to(mailbox, party.outsider) == []
    (sent,) = announcements(app)
    assert sent.state == AnnouncementState.SENT
    assert sent.recipient_count == 2 + len(party.members)


def test_an_event_announcement_goes_to_the_answers_chosen_only(app, party, mailbox):
    with app.app_context():
        event = db.session.get(Event, party.event_id)
        people = {
            email: db.session.scalar(sa.select(User).where(User.email == email))
            for email in party.members
        }
        # Ids against the rule: the last member made is going, the first one maybe.
        first, second, third = (people[email] for email in party.members)
        going(event, third, Answer.GOING)
        going(event, second, Answer.NOT_GOING)
        going(event, first, Answer.MAYBE)
    client = logged_in(app, party.organiser)
    response = client.submit(
        f"/events/{party.event_id}/announcements/new",
        announcement_data(to_going="y", to_maybe="y"),
    )

    assert response.status_code == 303
    assert len(subjects_to(mailbox, party.members[2])) == 1
    assert len(subjects_to(mailbox, party.members[0])) == 1
    assert subjects_to(mailbox, party.members[1]) == []
    assert subjects_to(mailbox, party.organiser) == []
    # On the event page: those it went to see it, the others do not.
    (announcement,) = announcements(app)
    link = f"/announcements/{announcement.id}"
    assert (
        link
        in logged_in(app, party.members[2])
        .get(f"/events/{party.event_id}", follow_redirects=True)
        .text
    )
    assert (
        link
        not in logged_in(app, party.members[1])
        .get(f"/events/{party.event_id}", follow_redirects=True)
        .text
    )
    assert logged_in(app, party.members[1]).get(link).status_code == 404


def test_batches_carry_on_where_the_last_stopped_and_never_twice(app, party, mailbox, monkeypatch):
    monkeypatch.setattr(sending, "BATCH", 2)
    with app.app_context():
        group = db.session.scalar(sa.select(Group).where(Group.slug == party.slug))
        late = [add_member(group, make_user()).user.email for _ in range(3)]

    announce_to_group(app, party)
    everyone = [party.owner, party.organiser, *party.members, *late]
    for email in everyone:
        assert len(subjects_to(mailbox, email)) == 1, email
    (announcement,) = announcements(app)
    assert announcement.recipient_count == len(everyone)
    # A job run again, or the sweep, finds it sent and writes nothing.
    with app.app_context():
        assert sending.write_next_batch(announcement.id) is False
        assert sending.sweep_due_announcements() == 0
    for email in everyone:
        assert len(subjects_to(mailbox, email)) == 1


@pytest.mark.parametrize("delivery", ["digest", "off"])
def test_a_member_who_takes_them_otherwise_gets_no_email(app, party, mailbox, delivery):
    member = logged_in(app, party.members[0])
    response = member.submit(
        f"/groups/{party.slug}/announcements/delivery", {"announcements-delivery": delivery}
    )
    assert response.status_code == 303

    announce_to_group(app, party)

    assert subjects_to(mailbox, party.members[0]) == []
    assert len(subjects_to(mailbox, party.members[1])) == 1


def outbox_rows_of(app, announcement_id):
    from webapp.outbox.models import OutboxMessage

    with app.app_context():
        key = sending.bulk_key(announcement_id)
        return db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.bulk_key == key))


def test_the_sweep_leaves_a_send_to_its_job_and_takes_it_up_once_the_job_is_lost(
    app, party, monkeypatch
):
    monkeypatch.setattr(sending, "BATCH", 2)
    announce_to_group(app, party)
    (announcement,) = announcements(app)
    assert announcement.state == AnnouncementState.SENDING

    # Its job waits on the bulk queue: the workers' sweep writes nothing ahead of it.
    with app.app_context():
        assert sending.sweep_due_announcements() == 0
    assert outbox_rows_of(app, announcement.id) == 0

    # The job is lost (its queue emptied): the sweep writes a batch a pass.
    with app.app_context():
        from webapp.jobs import get_queue

        get_queue(bulk=True).empty()
        sending.sweep_due_announcements()
    assert outbox_rows_of(app, announcement.id) == 2
