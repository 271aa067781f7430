"""The reminder a day before: one RQ job per event, with an id derived from the event,
moved with the event, removed when it is cancelled or deleted, and sent once to each
person going however often it runs; the sweep sends what a lost job did not, which is
also how it goes out without Redis."""

import html
import subprocess
import threading
from datetime import timedelta

import pytest
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler

from tests.conftest import empty_queue, run_worker
from tests.events.mail.support import answer, cancel, change, delete, make_party, publish
from tests.support.other_apps import app_like
from tests.support.workers import rq_worker_command, worker_env
from webapp import jobs
from webapp.database.times import utcnow
from webapp.events.mail.models import EventMailKind, EventMailOptOut
from webapp.events.mail.reminders import reminder_job_id, send_reminder, sweep_due_reminders
from webapp.events.models import Event, EventStatus
from webapp.events.rsvp.models import Answer
from webapp.extensions import db
from webapp.jobs import get_queue


def scheduled(app):
    """{job id: when} of every scheduled job of the queue."""
    with app.app_context():
        registry = ScheduledJobRegistry(queue=get_queue())
        return {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}


def run_due_jobs(app):
    """What `rq worker --with-scheduler` does: move due jobs to the queue, then work them."""
    with app.app_context():
        queue = get_queue()
        scheduler = RQScheduler([queue], connection=queue.connection)
        scheduler.acquire_locks()
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
    run_worker(app)


def event_start(app, event_id):
    """The start, to the second (as RQ's registry keeps times)."""
    with app.app_context():
        return db.session.get(Event, event_id).starts_at.replace(microsecond=0)


def reminders_to(mailbox, email):
    return [m for m in mailbox.messages(email) if m["Subject"].startswith("Reminder:")]


@pytest.fixture
def draft(app):
    """A draft a week away, with Ann going and Bob waiting (answers made before publishing)."""
    party = make_party(app, status=EventStatus.DRAFT, starts_in=timedelta(days=7))
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    return party


@pytest.fixture
def tomorrow(app, mailbox):
    """A published event starting in 23 hours, so its reminder is due now; Ann and the
    owner going, Bob waiting; the confirmations already read."""
    party = make_party(app, starts_in=timedelta(hours=23))
    answer(app, party.event_id, party.ann_id, Answer.GOING)
    answer(app, party.event_id, party.owner_id, Answer.GOING)
    answer(app, party.event_id, party.bob_id, Answer.WAITLISTED)
    mailbox.messages()
    mailbox.listener.clear()
    return party


def test_publishing_schedules_one_job_a_day_before_the_start(app, draft):
    assert scheduled(app) == {}

    publish(app, draft.event_id)

    job_id = f"reminder-event-{draft.event_id}"
    assert reminder_job_id(draft.event_id) == job_id
    assert scheduled(app) == {job_id: event_start(app, draft.event_id) - timedelta(hours=24)}


def test_moving_the_event_moves_its_one_job(app, draft):
    publish(app, draft.event_id)
    later = event_start(app, draft.event_id) + timedelta(days=2, hours=3)

    change(app, draft.event_id, starts_at=later, ends_at=later + timedelta(hours=2))

    assert scheduled(app) == {f"reminder-event-{draft.event_id}": later - timedelta(hours=24)}
    with app.app_context():
        assert reminder_job_id(draft.event_id) not in get_queue().job_ids


def test_a_new_place_leaves_the_job_alone(app, draft):
    publish(app, draft.event_id)
    before = scheduled(app)
    change(app, draft.event_id, venue="Village hall")
    assert scheduled(app) == before


@pytest.mark.parametrize("end", [cancel, delete])
def test_cancelling_or_deleting_removes_the_job(app, draft, end):
    publish(app, draft.event_id)
    end(app, draft.event_id)
    assert scheduled(app) == {}


def test_the_reminder_goes_to_those_going_once(app, mailbox, tomorrow):
    publish(app, tomorrow.event_id)  # scheduled for an hour ago: due at once

    run_due_jobs(app)

    [message] = reminders_to(mailbox, tomorrow.ann_email)
    assert message["Subject"].startswith("Reminder: Summer picnic, ")
    text = mailbox.text(message)
    assert "starts in about a day, and you're going" in text
    assert "because you said you're going to this event" in text
    assert "turn off reminders in your settings: http://localhost/settings#event-mail" in text
    assert len(reminders_to(mailbox, tomorrow.owner_email)) == 1
    assert reminders_to(mailbox, tomorrow.bob_email) == []
    assert scheduled(app) == {}


@pytest.mark.parametrize(
    ("guests", "line"),
    [
        (0, "and you're going. If you can't make it,"),
        (1, "and you're going. You said you're bringing 1 guest. If you can't make it,"),
        (2, "and you're going. You said you're bringing 2 guests. If you can't make it,"),
    ],
)
def test_the_reminder_counts_the_guests_in_plural_forms(app, mailbox, guests, line):
    party = make_party(app, starts_in=timedelta(hours=23))
    answer(app, party.event_id, party.ann_id, Answer.GOING, guests=guests)

    with app.app_context():
        get_queue().enqueue("webapp.events.mail.reminders.send_reminder", party.event_id)

    [message] = reminders_to(mailbox, party.ann_email)
    assert line in mailbox.text(message)
    assert line in html.unescape(message.get_body(preferencelist=("html",)).get_content())


def test_the_job_run_again_or_twice_sends_nothing_more(app, mailbox, tomorrow):
    publish(app, tomorrow.event_id)
    run_due_jobs(app)
    # A retry, a copy queued by hand, the sweep, and a republish after a move.
    with app.app_context():
        get_queue().enqueue("webapp.events.mail.reminders.send_reminder", tomorrow.event_id)
    run_worker(app)
    with app.app_context():
        assert sweep_due_reminders() == 0
    soon = utcnow() + timedelta(hours=20)
    change(app, tomorrow.event_id, starts_at=soon, ends_at=soon + timedelta(hours=2))
    run_due_jobs(app)

    assert len(reminders_to(mailbox, tomorrow.ann_email)) == 1
    assert len(reminders_to(mailbox, tomorrow.owner_email)) == 1


def test_a_cancelled_event_sends_no_reminder_even_if_its_job_runs(app, mailbox, tomorrow):
    publish(app, tomorrow.event_id)
    cancel(app, tomorrow.event_id)
    with app.app_context():
        get_queue().enqueue("webapp.events.mail.reminders.send_reminder", tomorrow.event_id)
    run_due_jobs(app)
    with app.app_context():
        assert sweep_due_reminders() == 0

    assert reminders_to(mailbox, tomorrow.ann_email) == []


def test_a_job_left_from_an_old_time_sends_nothing_early(app, mailbox, draft):
    publish(app, draft.event_id)
    with app.app_context():
        assert send_reminder(draft.event_id) is None
    assert reminders_to(mailbox, draft.ann_email) == []


def test_an_opt_out_is_respected(app, mailbox, tomorrow):
    with app.app_context():
        db.session.add(EventMailOptOut(user_id=tomorrow.ann_id, kind=EventMailKind.REMINDERS))
        db.session.commit()
    publish(app, tomorrow.event_id)
    run_due_jobs(app)

    assert reminders_to(mailbox, tomorrow.ann_email) == []
    assert len(reminders_to(mailbox, tomorrow.owner_email)) == 1


def test_the_sweep_sends_what_a_lost_job_did_not(app, mailbox, tomorrow):
    publish(app, tomorrow.event_id)
    with app.app_context():
        get_queue().connection.flushdb()  # Redis lost its data: the job is gone

        assert sweep_due_reminders() == 2
        assert sweep_due_reminders() == 0

    assert len(reminders_to(mailbox, tomorrow.ann_email)) == 1


def test_without_redis_the_web_process_sends_it_after_a_commit(app, smtp_listener, monkeypatch):
    """`make run`: no Redis, jobs in-process; the sweep after a commit sends the reminder."""
    with app_like(app, REDIS_URL=None, JOBS_ASYNC=False) as embedded:
        party = make_party(embedded, starts_in=timedelta(hours=23))
        # The web process sweeps at most every OUTBOX_SWEEP_INTERVAL; this commit is due one.
        monkeypatch.setattr(jobs, "_last_in_process_sweep", None)
        answer(embedded, party.event_id, party.ann_id, Answer.GOING)

    subjects = sorted(m["Subject"] for m in smtp_listener.messages if party.ann_email in m["To"])
    assert len(subjects) == 2
    assert subjects[0].startswith("Reminder: Summer picnic, ")
    assert subjects[1] == "You're going to Summer picnic"


@pytest.mark.postgres
def test_two_runs_at_the_same_moment_send_once(app, mailbox, tomorrow):
    barrier = threading.Barrier(2)
    results = []

    def run():
        with app.app_context():
            barrier.wait()
            results.append(send_reminder(tomorrow.event_id))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=lambda r: r or 0) == [None, 2]
    assert len(reminders_to(mailbox, tomorrow.ann_email)) == 1
    assert len(reminders_to(mailbox, tomorrow.owner_email)) == 1


@pytest.mark.redis  # a separate worker process needs a real Redis
@pytest.mark.parametrize("job_lost", [False, True])
def test_a_worker_process_with_its_scheduler_sends_the_reminder(app, mailbox, tomorrow, job_lost):
    """Production: `rq worker --with-scheduler` runs the due job; if the job was lost, the
    worker's own maintenance sweep sends the reminder instead."""
    publish(app, tomorrow.event_id)
    if job_lost:
        with app.app_context():
            empty_queue(get_queue())

    worker = subprocess.run(
        rq_worker_command(app, "--burst", "--with-scheduler"),
        env=worker_env(app),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr

    assert len(reminders_to(mailbox, tomorrow.ann_email)) == 1
    assert len(reminders_to(mailbox, tomorrow.owner_email)) == 1
    assert reminders_to(mailbox, tomorrow.bob_email) == []
