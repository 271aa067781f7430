"""A send to many is delivered some fifty messages to a job, from the bulk queue: a job
costs a worker far more than a message does. A job stops at the first message that fails
(the server is likely down) and leaves the rest pending for the sweep, rather than each
waiting out its timeout."""

import sqlalchemy as sa

from tests.conftest import run_worker
from tests.support.other_apps import app_like
from tests.support.ports import free_port
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.outbox import jobs as outbox_jobs
from webapp.outbox.models import OutboxMessage, OutboxState
from webapp.outbox.services import BULK_DELIVERY_CHUNK, DELIVER_MANY, add_bulk_messages

MANY = BULK_DELIVERY_CHUNK * 2 + 7


def write_send(count, key="test:1"):
    ids = add_bulk_messages(
        key,
        "test",
        [
            {
                "recipient": f"fan{number}@example.org",
                "subject": "To many",
                "render_args": None,
                "list_unsubscribe": "http://localhost/unsubscribe/x",
            }
            for number in range(count)
        ],
    )
    db.session.commit()
    return ids


def states(ids):
    rows = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.state, OutboxMessage.attempts).where(
            OutboxMessage.id.in_(ids)
        )
    )
    return {message_id: (state, attempts) for message_id, state, attempts in rows}


def test_a_send_to_many_is_queued_fifty_to_a_job_and_all_delivered(app, smtp_listener):
    with app.app_context():
        # Rendered when sent: no renderer for "test" means written bodies are needed.
        ids = write_send(MANY)
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(text_body="Hello, many.", html_body="<p>Hello, many.</p>")
        )
        db.session.commit()
        jobs = get_queue(bulk=True).get_jobs()
        assert len(get_queue()) == 0
        assert {job.func_name for job in jobs} == {DELIVER_MANY}
        chunks = [job.args[0] for job in jobs]
        assert [len(chunk) for chunk in chunks] == [50, 50, 7]
        assert sorted(i for chunk in chunks for i in chunk) == sorted(ids)
    run_worker(app)
    with app.app_context():
        assert set(states(ids).values()) == {(OutboxState.SENT, 1)}
    received = {m["To"] for m in smtp_listener.messages}
    assert {f"fan{number}@example.org" for number in range(MANY)} <= received


def test_a_job_stops_at_the_first_failure_and_leaves_the_rest_pending(app):
    with app_like(app, MAIL_PORT=free_port(), MAIL_TIMEOUT=1) as down, down.app_context():
        ids = write_send(5, key="test:2")
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(text_body="Hi")
        )
        db.session.commit()
        get_queue(bulk=True).empty()

        assert outbox_jobs.deliver_emails(ids) == 0

        found = states(ids)
        assert found[ids[0]] == (OutboxState.PENDING, 1)
        assert {found[message_id] for message_id in ids[1:]} == {(OutboxState.PENDING, 0)}
