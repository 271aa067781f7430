"""The production mail path: a separate `rq worker` process delivers over SMTP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_rq_worker_process(app):
    """`rq worker --burst`, configured from the environment as in production."""
    env = {
        **os.environ,
        "HEARTH_ENV": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app.config["REDIS_URL"],
        "QUEUE_NAME": app.config["QUEUE_NAME"],
        "MAIL_SERVER": app.config["MAIL_SERVER"],
        "MAIL_PORT": str(app.config["MAIL_PORT"]),
        "BASE_URL": app.config["BASE_URL"],
    }
    rq = Path(sys.executable).parent / "rq"
    return subprocess.run(
        [
            str(rq),
            "worker",
            "--burst",
            "--worker-class",
            "webapp.jobs.HearthWorker",
            "--url",
            app.config["REDIS_URL"],
            app.config["QUEUE_NAME"],
        ],
        env=env,
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
    assert client.submit(link).status_code == 303
    login = client.submit(
        "/login", {"email": "grace@example.org", "password": "Compiler-Bug-1947!"}
    )
    assert login.status_code == 303
    assert "Welcome, Grace" in client.get("/").get_data(as_text=True)
