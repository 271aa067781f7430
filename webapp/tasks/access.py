"""Who may do what with an event's tasks: the answers of the event and its group.

Seeing tasks is seeing the event. Taking a task and acting on one's own take an active
member; adding takes an organiser (or a co-host of the event), or a member when the
event's organisers allow it; editing, reassigning and deleting take an organiser or a
co-host. A cancelled event's tasks are kept but read-only: nobody changes them any more.
"""

import sqlalchemy as sa
from flask import abort, url_for
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from webapp.accounts.models import User
from webapp.events.access import can_manage_event, can_see_event
from webapp.events.cohosts.queries import WithCohost
from webapp.events.models import Event
from webapp.groups.access import ReadWithMembership, can_take_part
from webapp.groups.models import Group
from webapp.tasks.models import Task


def tasks_frozen(event):
    return event.is_cancelled or not event.is_live


def can_manage_tasks(user, event):
    return can_manage_event(user, event) and not tasks_frozen(event)


def can_work_on_tasks(user, event):
    """Take open tasks and act on one's own: an active member, while the event is on."""
    return can_take_part(user, event.group) and not tasks_frozen(event)


def can_add_tasks(user, event, members_add):
    return can_manage_tasks(user, event) or (members_add and can_work_on_tasks(user, event))


def can_see_task(user, task):
    return can_see_event(user, task.event)


def can_manage_task(user, task):
    return can_manage_tasks(user, task.event)


def can_work_on_task(user, task):
    return can_work_on_tasks(user, task.event)


_TASK_WITH_EVENT = ReadWithMembership(
    sa.select(Task)
    .join(Event, Event.id == Task.event_id)
    .join(Group, Group.id == Event.group_id)
    .outerjoin(User, User.id == Task.assignee_id)
    .options(contains_eager(Task.event).contains_eager(Event.group), contains_eager(Task.assignee))
    .where(Task.id == sa.bindparam("task_id")),
    Event.group_id,
    lambda task: task.event.group,
    # Whether the viewer co-hosts the task's event comes along too.
    also=WithCohost(event_of=lambda task: task.event),
)


def load_task(task_id):
    """The task with its event, group and assignee, and the viewer's membership and
    whether they co-host the event (one query)."""
    return _TASK_WITH_EVENT(task_id=task_id)


def find_task(task_id):
    """The task for the current user: 404 when it is not theirs to see."""
    task = load_task(task_id)
    if task is None or not can_see_task(current_user, task):
        abort(404)
    return task


def get_task(task_id, need=can_see_task):
    """find_task, then 403 unless need(current_user, task) holds."""
    task = find_task(task_id)
    if not need(current_user, task):
        abort(403)
    return task


def tasks_url(event, **values):
    return url_for("tasks.event_tasks", event_id=event.id, **values)
