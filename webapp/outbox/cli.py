"""`flask outbox ...`: what an operator needs until the admin page exists."""

import click
from flask.cli import AppGroup

from webapp.database.unit_of_work import RuleError
from webapp.extensions import db
from webapp.outbox import queries, recovery
from webapp.outbox.models import OutboxState

# An AppGroup: each command runs inside the app's context.
outbox_cli = AppGroup(
    "outbox", help="Outgoing email: list what waits or failed, retry or discard a message."
)


@outbox_cli.command("list")
@click.option(
    "--state",
    "states",
    type=click.Choice([state.value for state in OutboxState]),
    multiple=True,
    help="Only these states (repeatable). Default: pending, sending and failed.",
)
def list_messages(states):
    """List messages with their state, attempts and last error."""
    wanted = states or (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED)
    messages = queries.messages_in(wanted, limit=500)
    for message in messages:
        error = (message.last_error or "").splitlines()[:1]
        click.echo(
            f"{message.id}  {message.state:<9}  {message.attempts} attempt(s)  "
            f"{message.created_at:%Y-%m-%d %H:%M}  {message.kind}  {message.recipient}  "
            f"{message.subject}" + (f"\n      last error: {error[0]}" if error else "")
        )
    click.echo(f"{len(messages)} message(s).")


def _apply(rule, message_id, done):
    """Run one outbox rule as its own transaction; a refusal is a clean CLI error."""
    try:
        message = rule(message_id)
    except RuleError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Message {message.id} to {message.recipient} is {done}.")


@outbox_cli.command("retry")
@click.argument("message_id", type=int)
def retry(message_id):
    """Send a failed message again, with a fresh set of attempts."""
    _apply(recovery.retry_message, message_id, "queued again")


@outbox_cli.command("discard")
@click.argument("message_id", type=int)
def discard(message_id):
    """Give up on a pending or failed message (the row stays, marked discarded)."""
    _apply(recovery.discard_message, message_id, "discarded")


@outbox_cli.command("sweep")
def sweep():
    """Queue every pending message that is due now (workers do this on their own)."""
    released, queued = recovery.sweep()
    click.echo(f"{released} stuck claim(s) released, {queued} message(s) queued.")
