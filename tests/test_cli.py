"""flask commands, run through Flask's CLI runner against the test database and queue."""

import pytest
import sqlalchemy as sa
from rq import SimpleWorker

from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from webapp import jobs
from webapp.accounts.models import User
from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.outbox import services
from webapp.outbox.models import OutboxMessage, OutboxState


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=list(args), input=input)

    return invoke


def stored_user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_create_admin_takes_the_address_and_prompts_for_the_rest(app, cli):
    answers = f"Rae\nRoot\n{DEFAULT_PASSWORD}\n{DEFAULT_PASSWORD}\n"
    result = cli("create-admin", "rae@example.org", input=answers)
    assert result.exit_code == 0, result.output
    assert "rae@example.org is a site admin." in result.output
    admin = stored_user(app, "rae@example.org")
    assert admin.is_site_admin
    assert admin.email_verified_at is not None
    assert (admin.first_name, admin.last_name) == ("Rae", "Root")


def test_create_admin_makes_a_deactivated_account_an_active_admin_and_says_so(app, cli):
    with app.app_context():
        make_user(email="locked@example.org", active=False)
    answers = f"L\nO\n{DEFAULT_PASSWORD}\n{DEFAULT_PASSWORD}\n"

    result = cli("create-admin", "locked@example.org", input=answers)

    assert result.exit_code == 0, result.output
    admin = stored_user(app, "locked@example.org")
    assert admin.is_site_admin and admin.active
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditEntry)).one()
        assert (entry.action, entry.actor_id, entry.subject_id) == ("admin_granted", None, admin.id)


def test_create_admin_refuses_a_weak_password(app, cli):
    result = cli("create-admin", "weak@example.org", input="W\nK\nshort\nshort\n")
    assert result.exit_code != 0
    assert stored_user(app, "weak@example.org") is None


def test_create_admin_makes_an_existing_account_an_admin(app, cli):
    with app.app_context():
        make_user(email="sam@example.org")
    answers = f"Sam\nSmith\n{DEFAULT_PASSWORD}\n{DEFAULT_PASSWORD}\n"
    assert cli("create-admin", "sam@example.org", input=answers).exit_code == 0
    assert stored_user(app, "sam@example.org").is_site_admin


def test_create_admin_needs_the_address(cli):
    result = cli("create-admin")
    assert result.exit_code == 2
    assert "EMAIL" in result.output


def test_failed_jobs_lists_jobs_that_used_up_their_retries(app, cli):
    assert cli("failed-jobs").output.strip() == "0 failed job(s)."
    with app.app_context():
        job = jobs.enqueue("builtins.int", "not a number", retry=None)
        queue = jobs.get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="ERROR")
    result = cli("failed-jobs")
    assert result.exit_code == 0
    assert job.id in result.output
    assert "ValueError" in result.output
    assert "1 failed job(s)." in result.output
    with app.app_context():
        job.delete()


def outbox_message(app, state, recipient, error=None):
    with app.app_context():
        message = services.add_message("test", recipient, f"To {recipient}", "Body")
        message.state = state
        message.last_error = error
        db.session.commit()
        jobs.get_queue().empty()
        return message.id


def state_of(app, message_id):
    with app.app_context():
        return db.session.get(OutboxMessage, message_id).state


def test_outbox_list_shows_what_waits_and_what_failed_with_its_error(app, cli):
    waiting = outbox_message(app, OutboxState.PENDING, "wait@example.org")
    failed = outbox_message(app, OutboxState.FAILED, "fail@example.org", "SMTPDataError: 554")
    outbox_message(app, OutboxState.SENT, "done@example.org")
    result = cli("outbox", "list")
    assert result.exit_code == 0
    assert f"{waiting}  pending" in result.output
    assert f"{failed}  failed" in result.output
    assert "last error: SMTPDataError: 554" in result.output
    assert "done@example.org" not in result.output
    assert "2 message(s)." in result.output

    only_failed = cli("outbox", "list", "--state", "failed").output
    assert "fail@example.org" in only_failed
    assert "wait@example.org" not in only_failed


def test_outbox_retry_sends_a_failed_message(app, cli, mailbox):
    failed = outbox_message(app, OutboxState.FAILED, "again@example.org", "timed out")
    result = cli("outbox", "retry", str(failed))
    assert result.exit_code == 0, result.output
    assert "queued again" in result.output
    assert len(mailbox.messages("again@example.org")) == 1
    assert state_of(app, failed) == OutboxState.SENT


def test_outbox_discard_keeps_the_row_and_sends_nothing(app, cli, mailbox):
    failed = outbox_message(app, OutboxState.FAILED, "never@example.org", "bounced")
    assert cli("outbox", "discard", str(failed)).exit_code == 0
    assert state_of(app, failed) == OutboxState.DISCARDED
    assert cli("outbox", "sweep").exit_code == 0
    assert mailbox.messages("never@example.org") == []


@pytest.mark.parametrize("command", ["retry", "discard"])
def test_outbox_commands_refuse_a_sent_or_unknown_message(app, cli, command):
    sent = outbox_message(app, OutboxState.SENT, "sent@example.org")
    refused = cli("outbox", command, str(sent))
    assert refused.exit_code == 1
    assert "is sent" in refused.output
    assert state_of(app, sent) == OutboxState.SENT
    assert "There is no message 999999" in cli("outbox", command, "999999").output
