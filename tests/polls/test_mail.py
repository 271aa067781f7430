"""A poll's result, mailed once to the members who voted when it closes: by hand (a job
queued after the commit) or by its time (a job scheduled at the closing time, with an id
derived from the poll); however often the job runs, and the sweep behind it for a lost
job. Nobody who did not vote hears of it, nor anyone who turned the kind off."""

import time
from datetime import timedelta

import pytest
from rq.job import Job
from rq.registry import ScheduledJobRegistry

from tests.conftest import run_worker
from tests.events.factories import make_event
from tests.events.mail.test_reminders import run_due_jobs, scheduled
from tests.events.mail.test_settings import choices
from tests.events.support import local
from tests.polls.factories import make_poll, option_ids, slots_from_now, vote
from tests.polls.support import group_with_people, logged_in, poll_data, the_poll
from tests.support.auth import html
from tests.support.other_apps import app_like
from webapp import jobs
from webapp.accounts.models import User
from webapp.database.times import utcnow
from webapp.events.mail.models import EventMailKind
from webapp.extensions import db
from webapp.groups.models import Group
from webapp.jobs import get_queue
from webapp.polls.closing import SEND_RESULTS, closing_job_id
from webapp.polls.models import Poll
from webapp.polls.result_mail import sweep_closed_polls

SUBJECT = "Poll closed: Where do we meet?"


@pytest.fixture
def people(app):
    """An owner's group with three members."""
    with app.app_context():
        return group_with_people(3)


def text_of(mailbox, message):
    return mailbox.text(message).replace("\r\n", "\n")


def results_to(mailbox, email):
    return [m for m in mailbox.messages(email) if m["Subject"].startswith("Poll closed:")]


def start_poll(app, people, **fields):
    """The owner starts "Where do we meet?" (Park or Pub) through the form; its id."""
    owner = logged_in(app, people.owner)
    assert owner.submit(f"/groups/{people.slug}/polls/new", poll_data(**fields)).status_code == 303
    with app.app_context():
        return the_poll().id


def vote_as(app, email, poll_id, label_index):
    with app.app_context():
        option = option_ids(db.session.get(Poll, poll_id))[label_index]
    response = logged_in(app, email).submit(f"/polls/{poll_id}/vote", {"option": option})
    assert response.status_code == 303


def time_passes(app, poll_id):
    """The closing time comes: the poll's closes_at is a moment ago, and its scheduled job
    is due (as the scheduler would find it)."""
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        poll.closes_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        queue = get_queue()
        job = Job.fetch(closing_job_id(poll_id), connection=queue.connection)
        ScheduledJobRegistry(queue=queue).schedule(job, poll.closes_at)


def test_closing_by_hand_mails_each_voter_once(app, mailbox, people):
    poll_id = start_poll(app, people)
    first, second, silent = people.members
    vote_as(app, first, poll_id, 0)
    vote_as(app, second, poll_id, 0)
    owner = logged_in(app, people.owner)

    assert owner.submit(f"/polls/{poll_id}/manage/close").status_code == 303

    with app.app_context():
        assert closing_job_id(poll_id) == f"poll-closed-{poll_id}"
        assert closing_job_id(poll_id) in get_queue().job_ids
    [message] = results_to(mailbox, first)
    assert message["Subject"] == SUBJECT
    text = text_of(mailbox, message)
    assert "The poll “Where do we meet?” has closed: its results are final." in text
    assert "Most votes: Park, with 2 votes." in text
    assert "- Park: 2 votes (100%)\n- Pub: 0 votes (0%)" in text
    assert f"See the poll: http://localhost/polls/{poll_id}" in text
    assert "because you voted in this poll" in text
    assert "turn off poll results in your settings: http://localhost/settings#event-mail" in text
    assert len(results_to(mailbox, second)) == 1
    assert results_to(mailbox, silent) == []
    assert results_to(mailbox, people.owner) == []
    # A second click, a copy of the job, the sweep: nothing more.
    assert owner.submit(f"/polls/{poll_id}/manage/close").status_code == 422
    with app.app_context():
        get_queue().enqueue(SEND_RESULTS, poll_id)
        assert sweep_closed_polls() == 0
    run_worker(app)
    assert len(results_to(mailbox, first)) == 1
    assert len(results_to(mailbox, second)) == 1


def test_a_closing_time_schedules_one_job_at_that_time(app, people):
    poll_id = start_poll(app, people, closes_at=local(days=3, hour=12))
    with app.app_context():
        closes_at = db.session.get(Poll, poll_id).closes_at.replace(microsecond=0)
    assert scheduled(app) == {f"poll-closed-{poll_id}": closes_at}


def test_closing_by_hand_drops_the_scheduled_job(app, mailbox, people):
    poll_id = start_poll(app, people, closes_at=local(days=3, hour=12))
    vote_as(app, people.members[0], poll_id, 1)

    assert logged_in(app, people.owner).submit(f"/polls/{poll_id}/manage/close").status_code == 303

    assert scheduled(app) == {}
    assert len(results_to(mailbox, people.members[0])) == 1


def test_the_closing_time_passing_mails_once_even_if_the_job_runs_twice(app, mailbox, people):
    poll_id = start_poll(app, people, closes_at=local(days=3, hour=12))
    vote_as(app, people.members[0], poll_id, 1)
    vote_as(app, people.members[1], poll_id, 0)
    with app.app_context():
        # Before its time the job (run early, or a stray copy) sends nothing.
        get_queue().enqueue(SEND_RESULTS, poll_id)
    assert results_to(mailbox, people.members[0]) == []

    time_passes(app, poll_id)
    run_due_jobs(app)
    with app.app_context():
        get_queue().enqueue(SEND_RESULTS, poll_id)  # a retry, or a copy
        assert sweep_closed_polls() == 0
    run_worker(app)

    [message] = results_to(mailbox, people.members[0])
    assert "A tie: Park and Pub, with 1 vote each." in text_of(mailbox, message)
    assert len(results_to(mailbox, people.members[1])) == 1
    assert results_to(mailbox, people.members[2]) == []
    with app.app_context():
        poll = db.session.get(Poll, poll_id)
        assert poll.closed_at == poll.closes_at
        assert poll.results_mailed_at is not None


def test_the_sweep_mails_what_a_lost_job_did_not(app, mailbox, people):
    poll_id = start_poll(app, people, closes_at=local(days=3, hour=12))
    vote_as(app, people.members[0], poll_id, 0)
    time_passes(app, poll_id)
    with app.app_context():
        get_queue().connection.flushdb()  # Redis lost its data: the job is gone

        assert sweep_closed_polls() == 1
        assert sweep_closed_polls() == 0

    assert len(results_to(mailbox, people.members[0])) == 1


def test_turning_the_kind_off_stops_it(app, mailbox, people):
    poll_id = start_poll(app, people)
    first, second, _ = people.members
    vote_as(app, first, poll_id, 0)
    vote_as(app, second, poll_id, 1)
    others = [kind for kind in EventMailKind if kind != EventMailKind.POLL_RESULTS]
    settings = logged_in(app, second)
    assert "When a poll I voted in closes" in html(settings.get("/settings"))
    assert settings.submit("/settings/event-mail", choices(*others)).status_code == 303

    logged_in(app, people.owner).submit(f"/polls/{poll_id}/manage/close")

    assert len(results_to(mailbox, first)) == 1
    assert results_to(mailbox, second) == []


def test_a_date_polls_result_names_the_slot_with_most_yes_then_if_need_be(app, mailbox):
    with app.app_context():
        people = group_with_people(2)
        poll = make_poll(db.session.get(Group, people.group_id), slots=slots_from_now(3))
        first, second, third = option_ids(poll)
        ann, bob = (db.session.get(User, user_id) for user_id in people.member_ids)
        # One yes each; the second slot has an "if need be" besides.
        vote(ann, poll, slot_answers={first: "yes", second: "yes", third: "no"})
        vote(bob, poll, slot_answers={first: "no", second: "if_need_be", third: "yes"})
        poll_id = poll.id

    logged_in(app, people.owner).submit(f"/polls/{poll_id}/manage/close")

    text = text_of(mailbox, results_to(mailbox, people.members[1])[0])
    assert "Most yes: Slot 2, with 1 yes, 1 if need be." in text
    assert "- Slot 1: 1 yes (50%)\n- Slot 2: 1 yes, 1 if need be (50%)" in text


def test_nobody_is_mailed_for_a_poll_of_a_group_that_is_gone(app, mailbox):
    with app.app_context():
        people = group_with_people(1)
        group = db.session.get(Group, people.group_id)
        poll = make_poll(group, closes_at=utcnow() + timedelta(hours=1))
        vote(db.session.get(User, people.member_ids[0]), poll, option_ids(poll)[0])
        poll.closes_at = utcnow() - timedelta(seconds=1)
        group.deleted_at = utcnow()
        db.session.commit()

        assert sweep_closed_polls() == 0
        assert db.session.get(Poll, poll.id).results_mailed_at is not None
    assert results_to(mailbox, people.members[0]) == []


def test_without_redis_closing_by_hand_mails_at_once(app, smtp_listener, monkeypatch):
    """`make run`: no Redis, jobs run in the web process as the close commits (not only
    at the web process's next sweep, kept away here)."""
    monkeypatch.setattr(jobs, "_last_in_process_sweep", time.monotonic())
    with app_like(app, REDIS_URL=None, JOBS_ASYNC=False) as embedded:
        with embedded.app_context():
            people = group_with_people(1)
        poll_id = start_poll(embedded, people)
        vote_as(embedded, people.members[0], poll_id, 0)

        logged_in(embedded, people.owner).submit(f"/polls/{poll_id}/manage/close")

    subjects = [m["Subject"] for m in smtp_listener.messages if people.members[0] in m["To"]]
    assert subjects == [SUBJECT]


def test_deleting_the_event_drops_its_polls_job(app, people):
    with app.app_context():
        event = make_event(db.session.get(Group, people.group_id), title="Picnic")
    owner = logged_in(app, people.owner)
    data = poll_data(closes_at=local(days=3, hour=12))
    assert owner.submit(f"/events/{event.id}/polls/new", data).status_code == 303
    with app.app_context():
        poll_id = the_poll().id
    assert set(scheduled(app)) == {f"poll-closed-{poll_id}"}

    assert owner.submit(f"/events/{event.id}/manage/delete").status_code == 303

    assert scheduled(app) == {}
