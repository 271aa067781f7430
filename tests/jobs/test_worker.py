"""The production mail path: a separate `rq worker` process delivers over SMTP."""

import contextlib
import os
import signal
import socket
import subprocess
import time

import pytest
import sqlalchemy as sa

from tests.support.workers import rq_worker_command, worker_env
from webapp.extensions import db
from webapp.outbox.models import OutboxMessage


def run_rq_worker_process(app):
    """`rq worker --burst`, configured from the environment as in production."""
    return subprocess.run(
        rq_worker_command(app, "--burst"),
        env=worker_env(app),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.redis  # a separate worker process needs a real Redis
def test_a_worker_process_sends_the_verification_email_and_its_link_works(
    app, client, smtp_listener, mailbox
):
    response = client.submit(
        "/signup",
        {
            "email": "grace@example.org",
            "first_name": "Grace",
            "last_name": "Hopper",
            "password": "Compiler-Bug-1947!",
            "confirm": "Compiler-Bug-1947!",
        },
    )
    assert response.status_code == 303
    assert smtp_listener.messages == [], "the web request must not send mail itself"

    worker = run_rq_worker_process(app)
    assert worker.returncode == 0, worker.stderr

    [message] = [m for m in smtp_listener.messages if "grace@example.org" in m["To"]]
    assert message["Subject"] == "Confirm your email address"
    assert message.get_body(preferencelist=("html",)) is not None
    link = mailbox.link("grace@example.org")
    # Confirmed in the browser that signed up: logged in at once.
    assert client.submit(link).status_code == 303
    assert "Welcome, Grace" in client.get("/").get_data(as_text=True)


def start_rq_worker(app, **env):
    """A long-running `rq worker` in a process group of its own (so kill -9 takes its job
    process too, as when a machine dies)."""
    return subprocess.Popen(
        rq_worker_command(app),
        env=worker_env(app) | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process, sig=signal.SIGTERM):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def outbox_state(app, recipient):
    with app.app_context():
        return db.session.scalar(
            sa.select(OutboxMessage.state).where(OutboxMessage.recipient == recipient)
        )


# The tests below wait up to half a minute for a first worker and a minute for the one
# that takes over, longer than the suite's default timeout; saying so also starts this
# module among the long ones (tests/conftest.py, longest_modules_first).
WAITS_FOR_WORKERS = pytest.mark.timeout(120)

SIGNUP = {
    "first_name": "Kit",
    "last_name": "Kane",
    "password": "Compiler-Bug-1947!",
    "confirm": "Compiler-Bug-1947!",
}


@WAITS_FOR_WORKERS
@pytest.mark.redis  # real worker processes need a real Redis
def test_a_message_whose_worker_was_killed_mid_send_goes_out_within_a_minute(
    app, client, smtp_listener
):
    signup = SIGNUP | {"email": "kit@example.org"}
    # An SMTP server that takes the connection and never greets: the send hangs there.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        stuck = start_rq_worker(app, MAIL_PORT=str(silent.getsockname()[1]), MAIL_TIMEOUT="300")
        try:
            assert client.submit("/signup", signup).status_code == 303
            assert wait_for(lambda: outbox_state(app, "kit@example.org") == "sending", 30)
        finally:
            stop(stuck, signal.SIGKILL)
    killed_at = time.monotonic()

    # A shorter lease than the default 40 s keeps the test quick; the path is the same.
    rescuer = start_rq_worker(app, OUTBOX_CLAIM_TIMEOUT="6", OUTBOX_SWEEP_INTERVAL="1")
    try:
        delivered = wait_for(
            lambda: any("kit@example.org" in m["To"] for m in smtp_listener.messages), 60
        )
        assert delivered, "the message was not sent again after its worker died"
        assert time.monotonic() - killed_at < 60
        time.sleep(2)  # a second send would show up here
    finally:
        stop(rescuer)
    assert len([m for m in smtp_listener.messages if "kit@example.org" in m["To"]]) == 1
    assert outbox_state(app, "kit@example.org") == "sent"


@WAITS_FOR_WORKERS
@pytest.mark.redis  # real worker processes need a real Redis
def test_a_message_sent_again_after_its_worker_died_carries_the_same_message_id(
    app, client, smtp_listener
):
    # The server keeps the message but has not said so when the worker dies: the row
    # still says sending, and once the claim expires another worker sends it again.
    smtp_listener.stall_next(120)
    first = start_rq_worker(app)
    try:
        assert client.submit("/signup", SIGNUP | {"email": "ivy@example.org"}).status_code == 303
        assert wait_for(lambda: len(copies(smtp_listener, "ivy@example.org")) == 1, 30)
    finally:
        stop(first, signal.SIGKILL)

    rescuer = start_rq_worker(app, OUTBOX_CLAIM_TIMEOUT="6", OUTBOX_SWEEP_INTERVAL="1")
    try:
        assert wait_for(lambda: len(copies(smtp_listener, "ivy@example.org")) == 2, 60)
    finally:
        stop(rescuer)
    one, two = copies(smtp_listener, "ivy@example.org")
    assert one["Message-ID"] == two["Message-ID"]
    with app.app_context():
        stored = db.session.scalar(
            sa.select(OutboxMessage.message_id).where(OutboxMessage.recipient == "ivy@example.org")
        )
    assert one["Message-ID"] == stored
    assert outbox_state(app, "ivy@example.org") == "sent"


def copies(listener, recipient):
    return [m for m in listener.messages if recipient in m["To"]]
