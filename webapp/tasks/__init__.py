"""Tasks of an event ("who brings what"): the event's task page, adding, taking, marking
done and giving back (views.py), the organisers' edit and delete (manage_tasks.py, under
a nested blueprint that loads and authorises the task first), and "My tasks"."""

from flask import Blueprint, g

from webapp.web.manage import authorised_blueprint

bp = Blueprint("tasks", __name__)


def load_managed_task(values):
    """Every manage view gets g.task, already checked: log in first, 404 to those who may
    not see the task, 403 to those who may see but not manage it."""
    from webapp.tasks.access import can_manage_task, get_task

    g.task = get_task(values.pop("task_id"), need=can_manage_task)


manage = authorised_blueprint("manage", __name__, "/tasks/<int:task_id>/manage", load_managed_task)


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.tasks import manage_tasks, views  # noqa: F401
