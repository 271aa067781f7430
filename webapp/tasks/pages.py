"""An event's tasks as pages and fragments, for the members' views and the organisers'
alike: what the viewer may do, the tasks page (or its list), and one task's row."""

from typing import NamedTuple

from flask_login import current_user

from webapp.tasks.access import can_add_tasks, can_manage_tasks, can_work_on_tasks, tasks_frozen
from webapp.tasks.forms import TaskForm, TaskSettingsForm
from webapp.tasks.queries import assignable_people, members_add, tasks_of
from webapp.web.htmx import render, wants_fragment


class Viewer(NamedTuple):
    """What the current user may do with the tasks of one event (asked once per page)."""

    user_id: int | None
    can_manage: bool
    can_work: bool
    can_add: bool


def viewer_of(event, allow_members=False):
    return Viewer(
        current_user.id if current_user.is_authenticated else None,
        can_manage_tasks(current_user, event),
        can_work_on_tasks(current_user, event),
        can_add_tasks(current_user, event, allow_members),
    )


def new_task_form(event, viewer, blank=False):
    """The add form; blank: empty, not filled from the request (after a task is added)."""
    form = TaskForm(formdata=None) if blank else TaskForm()
    if viewer.can_manage:
        form.offer(assignable_people(event.group))
    return form


def tasks_page(event, form=None, status=200):
    """The event's tasks page, or its list section alone for htmx."""
    allow_members = members_add(event)
    viewer = viewer_of(event, allow_members)
    if form is None and viewer.can_add:
        form = new_task_form(event, viewer, blank=True)
    settings_form = None
    if viewer.can_manage:
        settings_form = TaskSettingsForm(formdata=None, data={"members_add": allow_members})
    return render(
        "tasks/event.html",
        "tasks/_tasks.html",
        status=status,
        event=event,
        group=event.group,
        tasks=tasks_of(event),
        viewer=viewer,
        form=form,
        settings_form=settings_form,
        frozen=tasks_frozen(event),
    )


def task_row(task, status=200):
    """One task's row for htmx; its event's tasks page otherwise."""
    if not wants_fragment():
        return tasks_page(task.event, status=status)
    event = task.event
    return render(
        "tasks/task.html",
        "tasks/_task.html",
        status=status,
        task=task,
        event=event,
        group=event.group,
        viewer=viewer_of(event),
        frozen=tasks_frozen(event),
    )
