"""An event's tasks: the page, adding a task (the form swaps the list), the event's task
setting, and a member's actions on one task (take, done, not done, give back), each
answering with the task's row for htmx and a redirect with a message without it. And
"My tasks": a person's open tasks across the events of all their groups, soonest due
first, a page at a time."""

from flask import flash, request
from flask_login import current_user, login_required

from webapp.database.unit_of_work import RuleError, refuse
from webapp.events.access import get_event
from webapp.extensions import login_manager
from webapp.tasks import bp
from webapp.tasks.access import (
    can_add_tasks,
    can_manage_tasks,
    can_work_on_task,
    find_task,
    get_task,
    tasks_frozen,
    tasks_url,
)
from webapp.tasks.forms import TaskSettingsForm
from webapp.tasks.pages import new_task_form, task_row, tasks_page, viewer_of
from webapp.tasks.queries import members_add, my_open_tasks
from webapp.tasks.services import add_task, give_back, mark_done, set_members_add, take_task
from webapp.web.dates import day_text
from webapp.web.htmx import redirect_to, render, wants_fragment
from webapp.web.pagination import paginate
from webapp.web.ratelimits import rate_limited
from webapp.web.translating import gettext as _

MY_TASKS_PER_PAGE = 20


@bp.app_template_filter("due_date")
def due_date(day):
    """'Sat 5 Dec 2026', as the page's language writes it."""
    return day_text(day)


# One rule for both methods: two rules on one path would answer a bad id with 405, not 404.
@bp.route("/events/<int:event_id>/tasks", methods=["GET", "POST"])
@rate_limited("RATE_LIMIT_CONTENT", per_user=True)
def event_tasks(event_id):
    """GET: who brings what, the event's tasks. POST: a new task (organisers; members too
    when the organisers allow it)."""
    if request.method == "GET":
        return tasks_page(get_event(event_id))
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    event = get_event(event_id, need=lambda user, e: can_add_tasks(user, e, members_add(e)))
    viewer = viewer_of(event, True)
    form = new_task_form(event, viewer)
    if form.validate_on_submit():
        try:
            task = add_task(current_user, event, form.details(assignee_allowed=viewer.can_manage))
        except RuleError as error:
            refuse(error, form)
        else:
            flash(_("“%(title)s” is on the list.", title=task.title), "success")
            if not wants_fragment():
                return redirect_to(tasks_url(event))
            return tasks_page(event)
    return tasks_page(event, form, status=422)


@bp.post("/events/<int:event_id>/tasks/settings")
@login_required
def settings(event_id):
    """Whether members may add tasks to this event (its organisers)."""
    event = get_event(event_id, need=can_manage_tasks)
    form = TaskSettingsForm()
    if form.validate_on_submit():
        try:
            set_members_add(current_user, event, form.members_add.data)
        except RuleError as error:
            refuse(error)
        else:
            flash(
                _("Members can add tasks now.")
                if form.members_add.data
                else _("Only organisers add tasks now."),
                "success",
            )
            return redirect_to(tasks_url(event))
    return tasks_page(event, status=422)


@bp.get("/tasks/<int:task_id>")
def detail(task_id):
    """One task: its row for htmx (an edit form's Cancel), a page of its own otherwise."""
    task = find_task(task_id)
    event = task.event
    return render(
        "tasks/task.html",
        "tasks/_task.html",
        task=task,
        event=event,
        group=event.group,
        viewer=viewer_of(event),
        frozen=tasks_frozen(event),
    )


def act(task_id, action, message):
    """A member's action on a task: the row (or, without htmx, back to the tasks page)
    with message(title), the sentence that says it is done; a refused action comes back
    with its reason and status 422."""
    task = get_task(task_id, need=can_work_on_task)
    try:
        action(current_user, task)
    except RuleError as error:
        refuse(error)
        # Read again what the winner (or the rule) left: the row shows who has it now.
        task = find_task(task_id)
        return task_row(task, status=422)
    flash(message(task.title), "success")
    if not wants_fragment():
        return redirect_to(tasks_url(task.event) + f"#task-{task.id}")
    return task_row(task)


@bp.post("/tasks/<int:task_id>/take")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def take(task_id):
    """Take an open task: it is yours now."""
    return act(task_id, take_task, lambda title: _("“%(title)s” is yours. Thank you!", title=title))


@bp.post("/tasks/<int:task_id>/done")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def done(task_id):
    """The assignee marks their task done."""
    return act(task_id, mark_done, lambda title: _("“%(title)s” is done.", title=title))


@bp.post("/tasks/<int:task_id>/undone")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def undone(task_id):
    """The assignee marks their task not done after all."""
    return act(
        task_id,
        lambda user, task: mark_done(user, task, done=False),
        lambda title: _("“%(title)s” is not done yet.", title=title),
    )


@bp.post("/tasks/<int:task_id>/give-back")
@rate_limited("RATE_LIMIT_ANSWER", per_user=True)
@login_required
def give(task_id):
    """The assignee gives their task back: it is open again."""
    return act(
        task_id,
        give_back,
        lambda title: _("“%(title)s” is open again, for anyone to take.", title=title),
    )


@bp.get("/tasks")
@login_required
def mine():
    """The current user's open tasks (the list alone for htmx)."""
    page = paginate(
        my_open_tasks(), per_page=MY_TASKS_PER_PAGE, values={"user_id": current_user.id}
    )
    return render("tasks/mine.html", "tasks/_mine.html", page=page)
