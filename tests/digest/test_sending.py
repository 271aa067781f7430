"""Digests go at 08:00 on each person's own clock, once a period whatever runs them: a
sweep run twice, a job run twice, a worker late by hours. Never empty, never telling the
same thing twice, weekly or daily as each chooses."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import run_worker
from tests.digest.conftest import EIGHT_AM, MONDAY
from webapp.digest.models import DigestItem, DigestSend, DigestSetting, Frequency
from webapp.digest.sending import sweep_due_digests, write_digest
from webapp.extensions import db

SUBJECT = "Your week on Hearth"


def digests_to(mailbox, who):
    return [m for m in mailbox.messages(f"{who}@example.org") if "on Hearth" in m["Subject"]]


def sweep(app, now):
    with app.app_context():
        queued = sweep_due_digests(now)
    run_worker(app)
    return queued


def sent_periods(app, user_id):
    with app.app_context():
        return db.session.scalars(
            sa.select(DigestSend.period).where(DigestSend.user_id == user_id)
        ).all()


def test_each_gets_theirs_at_their_own_eight_once(app, world, mailbox):
    # In the order the 08:00s come round the world: Auckland, Madrid, New York.
    timeline = [
        (EIGHT_AM["auckland"] - timedelta(minutes=5), set()),
        (EIGHT_AM["auckland"] + timedelta(minutes=1), {"auckland"}),
        (EIGHT_AM["auckland"] + timedelta(minutes=20), {"auckland"}),  # the sweep again
        (EIGHT_AM["madrid"] - timedelta(minutes=1), {"auckland"}),
        (EIGHT_AM["madrid"], {"auckland", "madrid"}),
        (EIGHT_AM["new_york"] - timedelta(seconds=1), {"auckland", "madrid"}),
        (EIGHT_AM["new_york"] + timedelta(minutes=3), {"auckland", "madrid", "new_york"}),
        (EIGHT_AM["new_york"] + timedelta(hours=2), {"auckland", "madrid", "new_york"}),
    ]
    for now, expected in timeline:
        sweep(app, now)
        got = {who for who in world.people if digests_to(mailbox, who)}
        assert got == expected, now
    for who in world.people:
        (digest,) = digests_to(mailbox, who)
        assert digest["Subject"] == SUBJECT
        assert "Lantern walk" in mailbox.text(digest)
        assert sent_periods(app, world.people[who]) == ["weekly:2026-11-30"]


def test_a_late_worker_still_sends_it_once_and_a_day_late_sends_none(app, world, mailbox):
    # The workers were down from before Auckland's 08:00 until Madrid's 13:55: Madrid's
    # digest still goes, once; Auckland's twelve hours were over, so it is skipped.
    sweep(app, EIGHT_AM["madrid"] + timedelta(hours=5, minutes=55))
    sweep(app, EIGHT_AM["madrid"] + timedelta(hours=5, minutes=58))
    assert len(digests_to(mailbox, "madrid")) == 1
    assert digests_to(mailbox, "auckland") == []
    # Down again until New York's 20:01: skipped, not sent in the night.
    sweep(app, EIGHT_AM["new_york"] + timedelta(hours=12, minutes=1))
    assert digests_to(mailbox, "new_york") == []
    assert sent_periods(app, world.people["new_york"]) == []
    assert sent_periods(app, world.people["auckland"]) == []


def test_the_same_job_twice_sends_one(app, world, mailbox):
    madrid = world.people["madrid"]
    now = EIGHT_AM["madrid"] + timedelta(minutes=2)
    with app.app_context():
        assert write_digest(madrid, "weekly:2026-11-30", now) is True
        db.session.commit()
        assert write_digest(madrid, "weekly:2026-11-30", now) is False
        db.session.commit()
        # A job for a period that is not theirs now (a stale one) does nothing either.
        assert write_digest(madrid, "weekly:2026-11-23", now) is False
    assert len(digests_to(mailbox, "madrid")) == 1


def test_never_empty_and_never_the_same_item_twice(app, world, mailbox):
    madrid = world.people["madrid"]
    with app.app_context():
        db.session.add(DigestSetting(user_id=madrid, frequency=Frequency.DAILY))
        db.session.commit()
    # Monday: the event is new to them.
    sweep(app, EIGHT_AM["madrid"] + timedelta(minutes=1))
    (monday,) = digests_to(mailbox, "madrid")
    assert monday["Subject"] == "Your day on Hearth"
    assert "Lantern walk" in mailbox.text(monday)
    # Tuesday: nothing new, so nothing is sent, but the period is done.
    sweep(app, EIGHT_AM["madrid"] + timedelta(days=1, minutes=1))
    assert len(digests_to(mailbox, "madrid")) == 1
    assert sent_periods(app, madrid) == ["daily:2026-11-30", "daily:2026-12-01"]
    with app.app_context():
        items = db.session.scalars(sa.select(DigestItem.item).where(DigestItem.user_id == madrid))
        assert list(items) == [f"event:{world.event_id}"]


def test_off_and_unverified_people_get_none(app, world, mailbox):
    from webapp.accounts.models import User

    with app.app_context():
        db.session.add(DigestSetting(user_id=world.people["madrid"], frequency=Frequency.OFF))
        db.session.execute(
            sa.update(User)
            .where(User.id == world.people["new_york"])
            .values(email_notifications=False)
        )
        db.session.commit()
    for now in (EIGHT_AM["madrid"], EIGHT_AM["new_york"]):
        sweep(app, now + timedelta(minutes=1))
    assert digests_to(mailbox, "madrid") == digests_to(mailbox, "new_york") == []


@pytest.mark.parametrize("tuesday", [MONDAY + timedelta(days=1, hours=7, minutes=5)])
def test_weekly_is_on_monday_only(app, world, mailbox, tuesday):
    sweep(app, tuesday)
    assert digests_to(mailbox, "madrid") == []


def test_digests_go_by_the_bulk_queue_behind_nobodys_confirmation(app, world, mailbox):
    from webapp.jobs import get_queue
    from webapp.outbox.models import OutboxMessage

    with app.app_context():
        assert sweep_due_digests(EIGHT_AM["madrid"] + timedelta(minutes=1)) == 1
        assert len(get_queue()) == 0
        (job,) = get_queue(bulk=True).get_jobs()
        assert job.id == f"digest-{world.people['madrid']}-weekly-2026-11-30"
    (digest,) = digests_to(mailbox, "madrid")
    with app.app_context():
        row = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.message_id == digest["Message-ID"])
        )
        assert row.bulk_key == "digest:weekly:2026-11-30"


def test_a_sweep_queues_nothing_while_the_bulk_queue_is_busy(app, world, mailbox):
    """Digests an earlier pass queued may still wait there: they are not queued twice."""
    from webapp.jobs import get_queue

    now = EIGHT_AM["madrid"] + timedelta(minutes=1)
    with app.app_context():
        assert sweep_due_digests(now) == 1
        assert sweep_due_digests(now + timedelta(minutes=5)) == 0
        assert len(get_queue(bulk=True)) == 1
    assert len(digests_to(mailbox, "madrid")) == 1
