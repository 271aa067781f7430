"""My tasks: a person's open tasks across the events of all their groups, soonest due
first, a page at a time."""

from flask_login import current_user, login_required

from webapp.htmx import render
from webapp.pagination import paginate
from webapp.tasks import bp
from webapp.tasks.queries import my_open_tasks

PER_PAGE = 20


@bp.get("/tasks")
@login_required
def mine():
    """The current user's open tasks (the list alone for htmx)."""
    page = paginate(my_open_tasks(), per_page=PER_PAGE, values={"user_id": current_user.id})
    return render("tasks/mine.html", "tasks/_mine.html", page=page)
