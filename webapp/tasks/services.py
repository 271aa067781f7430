"""The task rules: who adds, who takes, who finishes, who edits; flush, raise RuleError,
never commit.

Taking an open task and acting on one's own task are single conditional UPDATEs (WHERE
nobody has it yet; WHERE it is still mine), so two requests at once cannot both win: the
database decides, and the one that changed no row hears why.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from webapp.audit.models import AuditAction
from webapp.audit.services import log_on_task
from webapp.database.inserts import insert_or_ignore
from webapp.database.times import utcnow
from webapp.database.unit_of_work import RuleError, lock_row
from webapp.extensions import db
from webapp.tasks.access import can_manage_tasks, tasks_frozen
from webapp.tasks.mailing import mail_assignment
from webapp.tasks.models import Task, TaskSettings
from webapp.tasks.queries import is_assignable
from webapp.web.translating import gettext as _


@dataclass(frozen=True)
class TaskDetails:
    title: str
    notes: str = ""
    due_on: date | None = None
    assignee_id: int | None = None


def _refuse_if_frozen(event):
    if tasks_frozen(event):
        raise RuleError(_("This event is cancelled: its tasks can no longer change."))


def _check_assignee(actor, event, assignee_id):
    if assignee_id is None:
        return
    if assignee_id != actor.id and not can_manage_tasks(actor, event):
        raise RuleError(_("Only organisers give tasks to other people."), "assignee")
    if not is_assignable(event.group, assignee_id):
        raise RuleError(
            _("Choose someone who is a member of %(group)s.", group=event.group.name), "assignee"
        )


def add_task(actor, event, details):
    """A new task on event, open or given to someone (who is emailed, unless it is the
    actor). Whether actor may add at all is the view's check (can_add_tasks)."""
    _refuse_if_frozen(event)
    _check_assignee(actor, event, details.assignee_id)
    task = Task(
        event_id=event.id,
        title=details.title,
        notes=details.notes,
        due_on=details.due_on,
        assignee_id=details.assignee_id,
        created_by_id=actor.id,
    )
    db.session.add(task)
    db.session.flush()
    if details.assignee_id not in (None, actor.id):
        mail_assignment(task, event, actor)
    return task


def edit_task(actor, task, details):
    """An organiser changes a task; a new assignee other than the actor is emailed, and a
    task that changes hands is not done any more."""
    event = task.event
    _refuse_if_frozen(event)
    lock_row(task, read_again=True)
    _check_assignee(actor, event, details.assignee_id)
    changed_hands = details.assignee_id != task.assignee_id
    task.title, task.notes, task.due_on = details.title, details.notes, details.due_on
    if changed_hands:
        task.assignee_id = details.assignee_id
        task.done_at = None
    db.session.flush()
    if changed_hands and details.assignee_id not in (None, actor.id):
        mail_assignment(task, event, actor)
    return changed_hands


def delete_task(actor, task):
    event = task.event
    _refuse_if_frozen(event)
    log_on_task(actor, AuditAction.TASK_DELETED, task, event.group_id)
    db.session.execute(sa.delete(Task).where(Task.id == task.id))
    db.session.flush()


def _update_own(task, condition, message, **values):
    """One conditional UPDATE of task; RuleError(message) when no row matched."""
    _refuse_if_frozen(task.event)
    result = db.session.execute(
        sa.update(Task).where(Task.id == task.id, condition).values(**values)
    )
    if result.rowcount != 1:
        raise RuleError(message)
    db.session.refresh(task)


def take_task(actor, task):
    """Take an open task: the first of several at once wins."""
    _update_own(
        task,
        sa.and_(Task.assignee_id.is_(None), Task.done_at.is_(None)),
        _("Someone else has just taken this task. Thank you for offering!"),
        assignee_id=actor.id,
    )


def mark_done(actor, task, done=True):
    """The assignee marks their task done (or not done after all)."""
    _update_own(
        task,
        Task.assignee_id == actor.id,
        _("Only the person doing this task marks it done."),
        done_at=utcnow() if done else None,
    )


def give_back(actor, task):
    """The assignee gives their task back: it is open again, for anyone to take."""
    _update_own(
        task,
        Task.assignee_id == actor.id,
        _("This task is not yours to give back."),
        assignee_id=None,
        done_at=None,
    )


def set_members_add(actor, event, allowed):
    """Let the group's members add tasks to event too, or not."""
    _refuse_if_frozen(event)
    insert_or_ignore(TaskSettings, event_id=event.id, members_add=allowed)
    db.session.execute(
        sa.update(TaskSettings).where(TaskSettings.event_id == event.id).values(members_add=allowed)
    )
    db.session.flush()
