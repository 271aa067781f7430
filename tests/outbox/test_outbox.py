"""The outbox: an email is a row written with its cause, and it goes out once, Redis or not."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.groups.factories import make_group
from tests.support.auth import signup_data
from tests.support.other_apps import LIMITER_AS_IN_PRODUCTION, app_like
from webapp import jobs
from webapp.database.times import utcnow
from webapp.extensions import db
from webapp.outbox import jobs as outbox_jobs
from webapp.outbox import recovery, services
from webapp.outbox.models import OutboxMessage, OutboxState

REDIS_DOWN = "redis://127.0.0.1:1/0"
NEW_PASSWORD = "Lantern-Harbour-77?"


def rows(app, recipient=None):
    """The outbox rows (to recipient), oldest first, detached."""
    with app.app_context():
        query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        found = db.session.scalars(query).all()
        db.session.expunge_all()
        return found


def sweep_later(app, seconds=None):
    """Run the sweep as a worker would once the after-commit queueing was overdue."""
    seconds = seconds or app.config["OUTBOX_REQUEUE_AFTER"] + 1
    with app.app_context():
        return recovery.sweep(now=utcnow() + timedelta(seconds=seconds))


def log_in(client, email):
    response = client.submit("/login", {"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303


def signup(app, client):
    return client.submit("/signup", signup_data(email="nora@example.org")), "nora@example.org"


def resend(app, client):
    with app.app_context():
        make_user(email="una@example.org", verified=False)
    return client.submit("/verify/resend", {"email": "una@example.org"}), "una@example.org"


def forgot_password(app, client):
    with app.app_context():
        make_user(email="fay@example.org")
    return client.submit("/password/forgot", {"email": "fay@example.org"}), "fay@example.org"


def change_password(app, client):
    with app.app_context():
        make_user(email="pia@example.org")
    log_in(client, "pia@example.org")
    data = {
        "password-current_password": DEFAULT_PASSWORD,
        "password-password": NEW_PASSWORD,
        "password-confirm": NEW_PASSWORD,
    }
    return client.submit("/settings/password", data), "pia@example.org"


def change_email(app, client):
    with app.app_context():
        make_user(email="eve.old@example.org")
    log_in(client, "eve.old@example.org")
    data = {"email-email": "eve.new@example.org", "email-current_password": DEFAULT_PASSWORD}
    return client.submit("/settings/email", data), "eve.new@example.org"


def invite(app, client):
    with app.app_context():
        owner = make_user(email="olga@example.org")
        make_group(owner, slug="knitters", join_policy="invitation")
    log_in(client, "olga@example.org")
    data = {"email": "ivy@example.org", "role": "member", "message": ""}
    return client.submit("/groups/knitters/manage/invitations", data), "ivy@example.org"


def ask_to_join(app, client):
    with app.app_context():
        owner = make_user(email="otto@example.org")
        make_group(owner, slug="rowers", join_policy="approval")
        make_user(email="jo@example.org")
    log_in(client, "jo@example.org")
    return client.submit("/groups/rowers/join"), "otto@example.org"


FLOWS = [signup, resend, forgot_password, change_password, change_email, invite, ask_to_join]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.__name__)
def test_with_redis_down_the_action_succeeds_and_its_email_goes_out_once_redis_is_back(
    app, mailbox, smtp_listener, flow
):
    with app_like(
        app, REDIS_URL=REDIS_DOWN, RATELIMIT_STORAGE_URI=REDIS_DOWN, **LIMITER_AS_IN_PRODUCTION
    ) as redis_down:
        response, recipient = flow(app, redis_down.test_client())
        assert response.status_code == 303
    [row] = rows(app, recipient)
    assert row.state == OutboxState.PENDING
    assert smtp_listener.messages == []

    # Redis is back: a worker's sweep queues the row and the worker delivers it.
    assert sweep_later(app) == (0, 1)
    assert len(mailbox.messages(recipient)) == 1
    [row] = rows(app, recipient)
    assert row.state == OutboxState.SENT
    assert row.sent_at is not None
    assert (row.text_body, row.html_body) == ("", ""), "a sent row keeps no working link"

    sweep_later(app, seconds=3600)
    assert len(mailbox.messages(recipient)) == 1


def test_a_new_message_is_queued_after_commit_and_not_swept_again(app, client, mailbox):
    response, recipient = signup(app, client)
    assert response.status_code == 303
    assert len(mailbox.messages(recipient)) == 1
    assert sweep_later(app) == (0, 0)
    assert len(mailbox.messages(recipient)) == 1


@pytest.mark.redis
def test_a_message_is_queued_by_its_key_once_written_and_a_withdrawn_one_not_at_all(
    app_context,
):
    # add_message writes its row with the change's own flush: the job learns its key at
    # the commit. A plain argument of None is still an argument.
    queue = jobs.get_queue()
    queue.empty()
    kept = services.add_message("test", "kept@example.org", "Kept", "Body")
    withdrawn = services.add_message("test", "withdrawn@example.org", "Withdrawn", "Body")
    db.session.expunge(withdrawn)
    jobs.enqueue_after_commit(services.DELIVER_EMAIL, None, swept=True)
    db.session.commit()
    assert [job.args for job in queue.get_jobs()] == [(kept.id,), (None,)]
    queue.empty()


def test_a_rolled_back_action_leaves_no_message(app, client, mailbox):
    # A refused email change writes nothing, mail included.
    with app.app_context():
        make_user(email="rex@example.org")
    log_in(client, "rex@example.org")
    data = {"email-email": "rex.new@example.org", "email-current_password": "Wrong-Pass-1!"}
    assert client.submit("/settings/email", data).status_code == 422
    assert rows(app) == []
    assert mailbox.messages() == []


def test_a_job_queued_twice_or_run_again_sends_once(app, client, mailbox):
    _, recipient = signup(app, client)
    [row] = rows(app, recipient)
    with app.app_context():
        services.enqueue_delivery(row.id)
        services.enqueue_delivery(row.id)
    assert len(mailbox.messages(recipient)) == 1
    # As RQ would retry a job whose worker died after it sent: nothing more goes out.
    with app.app_context():
        assert outbox_jobs.deliver_email(row.id) == "skipped"
    assert len(mailbox.messages(recipient)) == 1


def test_a_claim_held_by_a_live_worker_is_not_swept_but_a_stale_one_is(app, client, mailbox):
    _, recipient = signup(app, client)
    [row] = rows(app, recipient)
    with app.app_context():
        jobs.get_queue().empty()  # as if a worker had taken the job
        assert services.claim(row.id) is not None
        assert services.claim(row.id) is None, "a claimed message cannot be claimed again"
    assert sweep_later(app, seconds=app.config["OUTBOX_CLAIM_TIMEOUT"] - 5) == (0, 0)
    assert mailbox.messages(recipient) == []

    # That worker died: once the claim is older than its lease, the message goes out again.
    assert sweep_later(app, seconds=app.config["OUTBOX_CLAIM_TIMEOUT"] + 1) == (1, 1)
    assert len(mailbox.messages(recipient)) == 1
    [row] = rows(app, recipient)
    assert row.state == OutboxState.SENT
    assert row.attempts == 2


def test_states_have_labels_and_the_database_refuses_an_unknown_state(app):
    assert OutboxState.FAILED.label == "Failed"
    assert [state.value for state in OutboxState] == [
        "pending",
        "sending",
        "sent",
        "failed",
        "discarded",
    ]
    with app.app_context():
        message = services.add_message("test", "a@example.org", "Hi", "Hello")
        db.session.commit()
        jobs.get_queue().empty()
        # The migration's constraint admits every state the enum names.
        for state in OutboxState:
            message.state = state
            db.session.flush()
        db.session.rollback()
        # The column type refuses an unknown state before SQL; the constraint backs it.
        with pytest.raises(sa.exc.StatementError):
            message.state = "lost"
            db.session.flush()
        db.session.rollback()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(
                sa.text("UPDATE outbox_messages SET state = 'lost' WHERE id = :id"),
                {"id": message.id},
            )
        db.session.rollback()
