"""Organisers' actions on a task: edit it (title, notes, due date, who does it) in place
of its row, and delete it after asking. The manage blueprint has loaded g.task and
checked the user may manage it."""

from flask import flash, g
from flask_login import current_user

from webapp.database.unit_of_work import RuleError, refuse
from webapp.tasks import manage
from webapp.tasks.access import tasks_url
from webapp.tasks.forms import TaskForm
from webapp.tasks.pages import task_row
from webapp.tasks.queries import assignable_people
from webapp.tasks.services import delete_task, edit_task
from webapp.web.forms import EmptyForm
from webapp.web.htmx import redirect_to, render, render_form, wants_fragment
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

EDIT_PREFIX = "edit"


@manage.route("/edit", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_EVENT_NOTICES", per_user=True)
def edit():
    """GET: the task's form (in place of its row with htmx). POST: save it; someone newly
    given the task is emailed."""
    task = g.task
    # Its own prefix: the form sits on the tasks page beside the add form, in a row's place.
    form = TaskForm(
        prefix=EDIT_PREFIX,
        data={
            "title": task.title,
            "notes": task.notes,
            "due_on": task.due_on,
            "assignee": str(task.assignee_id) if task.assignee_id else "",
        },
    )
    form.offer(assignable_people(task.event.group))
    if form.validate_on_submit():
        try:
            edit_task(current_user, task, form.details())
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is saved.", title=task.title), "success")
            if not wants_fragment():
                return redirect_to(tasks_url(task.event) + f"#task-{task.id}")
            return task_row(task)
    return render_form("tasks/edit.html", "tasks/_edit.html", form, task=task, event=task.event)


@manage.route("/delete", methods=["GET", "POST"])
def delete():
    """GET asks (a page, or a dialog with JavaScript); POST deletes the task."""
    task = g.task
    form = EmptyForm()
    if form.validate_on_submit():
        title, event = task.title, task.event
        try:
            delete_task(current_user, task)
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is deleted.", title=title), "info")
            return redirect_to(tasks_url(event))
    return render(
        "tasks/delete.html",
        "tasks/_delete.html",
        status=422 if form.is_submitted() else 200,
        task=task,
        event=task.event,
        form=form,
    )
