"""An announcement to a group of 30,000 on PostgreSQL: the request only plans it; a real
`rq worker` writes its rows a batch at a time from the bulk queue; a password reset asked
for meanwhile jumps that queue and goes out at once; every member gets one row.

Delivering 30,000 messages takes a worker longer than a test may (fifty to a
job), so the worker is stopped once the reset is out, its queued jobs are dropped as if
lost, and the sweep (the path a lost job takes) writes the rest of the rows: the cursor
must carry on where the worker stopped.
"""

import pytest
import sqlalchemy as sa

from tests.announcements.support import announce_to_group, announcements
from tests.jobs.test_worker import start_rq_worker, stop, wait_for
from tests.tasks.factories import make_party
from webapp.accounts.models import User
from webapp.announcements import sending
from webapp.announcements.models import Announcement, AnnouncementState
from webapp.extensions import db
from webapp.groups.models import Group, Membership, MembershipStatus
from webapp.jobs import get_queue
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.services import BULK_DELIVERY_CHUNK

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(180)]

MEMBERS = 30_000
RESET_SUBJECT = "Reset your Hearth password"


def add_members(slug, how_many):
    """how_many verified people, active members of the group: two INSERT ... SELECTs."""
    group_id = db.session.scalar(sa.select(Group.id).where(Group.slug == slug))
    number = sa.func.generate_series(1, how_many).column_valued("number")
    address = sa.literal("fan") + sa.cast(number, sa.Text) + "@example.org"
    # Any stored hash will do: nobody logs in as them, and hashing 30,000 would take minutes.
    password_hash = db.session.scalar(sa.select(User.password_hash).limit(1))
    people = {
        "email": address,
        "email_normalized": address,
        "first_name": sa.literal("Fan"),
        "last_name": sa.cast(number, sa.Text),
        "password_hash": sa.literal(password_hash),
        "email_verified_at": sa.func.now(),
        "created_at": sa.func.now(),
    }
    memberships = {
        "group_id": sa.literal(group_id),
        "user_id": User.id,
        "role": sa.literal("member"),
        "status": sa.literal("active"),
        "created_at": sa.func.now(),
    }
    db.session.execute(
        sa.insert(User.__table__).from_select(list(people), sa.select(*people.values()))
    )
    db.session.execute(
        sa.insert(Membership.__table__).from_select(
            list(memberships),
            sa.select(*memberships.values()).where(User.email.like("fan%@example.org")),
        )
    )
    db.session.commit()


def rows_of(app, key, *where):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.bulk_key == key, *where)
        )


def queued(app, bulk):
    with app.app_context():
        return get_queue(bulk=bulk).jobs


def waiting_in_bulk(app):
    with app.app_context():
        return len(get_queue(bulk=True))


def reset_sent(smtp_listener, email):
    with smtp_listener.lock:
        return any(
            m["Subject"] == RESET_SUBJECT and email in m["To"] for m in smtp_listener.messages
        )


def state_of(app, announcement_id):
    with app.app_context():
        return db.session.get(Announcement, announcement_id).state


def test_thirty_thousand_members_get_one_row_each_and_a_reset_goes_first(
    app, client, smtp_listener
):
    with app.app_context():
        party = make_party(members=0)
        add_members(party.slug, MEMBERS - 2)  # the owner and the organiser are members too

    _organiser, response = announce_to_group(app, party)

    # The request plans the send and writes none of it: that is why it returns at once.
    assert response.status_code == 303
    (announcement,) = announcements(app)
    key = sending.bulk_key(announcement.id)
    assert rows_of(app, key) == 0
    assert [(job.func_name, job.args) for job in queued(app, bulk=True)] == [
        (sending.WRITE_BATCH, (announcement.id,))
    ]
    assert queued(app, bulk=False) == []

    worker = start_rq_worker(app)
    try:
        # Under way: a batch written, its messages going out some fifty to a job.
        assert wait_for(lambda: rows_of(app, key, OutboxMessage.state == OutboxState.SENT), 60)
        sent_before = rows_of(app, key, OutboxMessage.state == OutboxState.SENT)
        ahead = rows_of(app, key, OutboxMessage.state == OutboxState.PENDING)
        assert ahead > 5 * BULK_DELIVERY_CHUNK, "hundreds of messages should be ahead of the reset"

        asked = client.submit("/password/forgot", {"email": party.outsider})
        assert asked.status_code == 303
        assert wait_for(lambda: reset_sent(smtp_listener, party.outsider), 30)

        # It went before the messages queued ahead of it (but those of the job under way,
        # and one more perhaps taken as the reset was asked for), and before the last batch.
        sent_meanwhile = rows_of(app, key, OutboxMessage.state == OutboxState.SENT) - sent_before
        assert sent_meanwhile <= 2 * BULK_DELIVERY_CHUNK, f"{sent_meanwhile} went first"
        assert waiting_in_bulk(app) > 0
        assert state_of(app, announcement.id) == AnnouncementState.SENDING
        assert rows_of(app, key) < MEMBERS
    finally:
        stop(worker)

    # The rest, as the sweep writes a send whose job was lost: a batch a pass, once the bulk
    # queue is empty (emptied here each time: its deliveries are not what is tested).
    with app.app_context():
        for _pass in range(MEMBERS // sending.BATCH + 2):
            if state_of(app, announcement.id) == AnnouncementState.SENT:
                break
            get_queue(bulk=True).empty()
            sending.sweep_due_announcements()
    assert_written_once_in_batches(app, announcement.id, party.outsider)


def assert_written_once_in_batches(app, announcement_id, reset_to):
    key = sending.bulk_key(announcement_id)
    with app.app_context():
        announcement = db.session.get(Announcement, announcement_id)
        assert announcement.state == AnnouncementState.SENT
        assert announcement.recipient_count == MEMBERS
        members = (
            sa.select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.group_id == announcement.group_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        written = db.session.scalars(
            sa.select(OutboxMessage.recipient).where(OutboxMessage.bulk_key == key)
        ).all()
        assert len(written) == len(set(written)) == MEMBERS
        assert set(written) == set(db.session.scalars(members))
        # A batch's rows are written in one statement, at one moment.
        batches = db.session.execute(
            sa.select(OutboxMessage.created_at, sa.func.count())
            .where(OutboxMessage.bulk_key == key)
            .group_by(OutboxMessage.created_at)
            .order_by(OutboxMessage.created_at)
        ).all()
        reset = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.recipient == reset_to, OutboxMessage.bulk_key.is_(None)
            )
        )
    sizes = [size for _written, size in batches]
    assert max(sizes) <= sending.BATCH
    assert len(sizes) == MEMBERS // sending.BATCH
    assert reset.state == OutboxState.SENT
    assert reset.sent_at < batches[-1].created_at
