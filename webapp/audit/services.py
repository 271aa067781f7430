"""Writing the audit log: one row per action, in the transaction of the action itself."""

from webapp.audit.models import AuditAction, AuditEntry, SubjectType
from webapp.extensions import db


def log_action(actor, action, subject_type, subject_id=None, group_id=None, **data):
    """Add a row for actor doing action to (subject_type, subject_id); data: plain values
    worth keeping as they were then (a name, an address, what changed)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=AuditAction(action),
        subject_type=SubjectType(subject_type),
        subject_id=subject_id,
        group_id=group_id,
        data={key: value for key, value in data.items() if value not in (None, "")},
    )
    db.session.add(entry)
    return entry


def log_on_user(actor, action, user, group_id=None, **data):
    return log_action(
        actor, action, SubjectType.USER, user.id, group_id, name=user.name, email=user.email, **data
    )


def log_on_event(actor, action, event, **data):
    return log_action(
        actor,
        action,
        SubjectType.EVENT,
        event.id,
        group_id=event.group_id,
        name=event.title,
        **data,
    )


def log_on_poll(actor, action, poll, **data):
    return log_action(
        actor, action, SubjectType.POLL, poll.id, poll.group_id, name=poll.question, **data
    )


def log_on_task(actor, action, task, group_id, **data):
    return log_action(actor, action, SubjectType.TASK, task.id, group_id, name=task.title, **data)
