"""The site admin's writes: people, groups, the outbox and failed jobs.

Each takes the acting admin, records itself in the audit log, flushes and raises
RuleError; the request commits. Unmaking or deactivating a site admin first locks every
active admin's row, so two admins taking each other's rights at the same moment are
decided one after the other, and the second finds the first has gone.
"""

import sqlalchemy as sa
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from webapp.accounts.models import User
from webapp.accounts.sessions import close_other_sessions
from webapp.audit.models import AuditAction, SubjectType
from webapp.audit.services import log_action, log_on_user
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.extensions import db
from webapp.jobs import get_queue
from webapp.outbox.recovery import discard_message, retry_message
from webapp.web.translating import gettext as _


def _lock_active_admins(actor):
    """Lock the rows of every active site admin (in id order: no deadlock) and return
    their ids, as the last transaction to hold the lock left them."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite: the database's write lock, taken before reading (actor may be a proxy).
        lock_row(db.session.get(User, actor.id))
    return set(
        db.session.scalars(
            sa.select(User.id)
            .where(User.is_site_admin.is_(True), User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
    )


def _keep_an_admin(actor, user):
    """RuleError if user is the last active site admin."""
    admins = _lock_active_admins(actor)
    db.session.refresh(user, ["active", "is_site_admin"])
    if user.id in admins and not admins - {user.id}:
        raise RuleError(
            _("There must always be an active site admin: make someone else one first.")
        )


def deactivate_user(actor, user):
    """The user can no longer log in; every session of theirs ends now."""
    if user.id == actor.id:
        raise RuleError(_("You cannot deactivate your own account."))
    _keep_an_admin(actor, user)
    lock_row(user, read_again=True)
    if not user.active:
        raise RuleError(_("%(name)s's account is already deactivated.", name=user.name))
    user.active = False
    close_other_sessions(user)
    log_on_user(actor, AuditAction.USER_DEACTIVATED, user)
    db.session.flush()


def reactivate_user(actor, user):
    lock_row(user, read_again=True)
    if user.active:
        raise RuleError(_("%(name)s's account is already active.", name=user.name))
    user.active = True
    log_on_user(actor, AuditAction.USER_REACTIVATED, user)
    db.session.flush()


def grant_site_admin(actor, user):
    lock_row(user, read_again=True)
    if user.is_site_admin:
        raise RuleError(_("%(name)s is already a site admin.", name=user.name))
    if not user.active:
        raise RuleError(
            _("Reactivate the account first: a deactivated account cannot be an admin.")
        )
    if user.is_guest:
        raise RuleError(
            _(
                "%(name)s answered without an account: there is no login to make an admin.",
                name=user.name,
            )
        )
    user.is_site_admin = True
    log_on_user(actor, AuditAction.ADMIN_GRANTED, user)
    db.session.flush()


def revoke_site_admin(actor, user):
    _keep_an_admin(actor, user)
    if not user.is_site_admin:
        raise RuleError(_("%(name)s is not a site admin.", name=user.name))
    user.is_site_admin = False
    log_on_user(actor, AuditAction.ADMIN_REVOKED, user)
    db.session.flush()


def suspend_group(actor, group):
    """Hidden from all but site admins, and frozen: no joins, answers, votes or edits."""
    lock_row(group, read_again=True)
    if group.suspended_at is not None:
        raise RuleError(_("%(name)s is already suspended.", name=group.name))
    group.suspended_at = utcnow()
    _log_group(actor, AuditAction.GROUP_SUSPENDED, group)


def restore_group(actor, group):
    lock_row(group, read_again=True)
    if group.suspended_at is None:
        raise RuleError(_("%(name)s is not suspended.", name=group.name))
    group.suspended_at = None
    _log_group(actor, AuditAction.GROUP_RESTORED, group)


def _log_group(actor, action, group):
    log_action(actor, action, SubjectType.GROUP, group.id, group.id, name=group.name)
    db.session.flush()


def retry_email(actor, message_id):
    """A failed (or waiting) email gets a fresh set of attempts, queued after commit."""
    message = retry_message(message_id)
    _log_message(actor, AuditAction.MESSAGE_RETRIED, message)
    return message


def discard_email(actor, message_id):
    """Give up on an email on purpose; the row stays, marked discarded."""
    message = discard_message(message_id)
    _log_message(actor, AuditAction.MESSAGE_DISCARDED, message)
    return message


def _log_message(actor, action, message):
    log_action(
        actor,
        action,
        SubjectType.MESSAGE,
        message.id,
        name=message.subject,
        email=message.recipient,
    )
    db.session.flush()


def _failed_job(job_id):
    queue = get_queue()
    registry = FailedJobRegistry(queue=queue)
    if job_id not in registry.get_job_ids():
        raise RuleError(_("That job is no longer among the failed ones."))
    try:
        return registry, Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        raise RuleError(_("That job is no longer among the failed ones.")) from None


def retry_job(actor, job_id):
    """Put a failed job back on its queue."""
    registry, job = _failed_job(job_id)
    registry.requeue(job)
    log_action(actor, AuditAction.JOB_RETRIED, SubjectType.JOB, name=job.func_name, job=job_id)
    db.session.flush()
    return job


def discard_job(actor, job_id):
    """Forget a failed job for good."""
    registry, job = _failed_job(job_id)
    registry.remove(job, delete_job=True)
    log_action(actor, AuditAction.JOB_DISCARDED, SubjectType.JOB, name=job.func_name, job=job_id)
    db.session.flush()
    return job
