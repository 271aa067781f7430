"""Tasks of an event ("who brings what"): the event's task page, adding, taking, marking
done and giving back (views.py), the organisers' edit and delete (manage_tasks.py, under
a nested blueprint that loads and authorises the task first), and "My tasks"."""

from flask import Blueprint, abort, g
from flask_login import current_user

from webapp.extensions import login_manager

bp = Blueprint("tasks", __name__)
manage = Blueprint("manage", __name__, url_prefix="/tasks/<int:task_id>/manage")


@manage.url_value_preprocessor
def load_managed_task(endpoint, values):
    """Every manage view gets g.task, already checked: log in first, 404 to those who may
    not see the task, 403 to those who may see but not manage it."""
    from webapp.tasks.access import can_manage_task, get_task

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    g.task = get_task(values.pop("task_id"), need=can_manage_task)


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.tasks import manage_tasks, my_tasks, views  # noqa: F401
