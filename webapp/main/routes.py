"""The home page."""

from flask import render_template
from flask_login import current_user

from webapp.events.queries import upcoming_for_home
from webapp.groups.queries import my_groups
from webapp.main import bp


@bp.get("/")
def home():
    """Visitors see what Hearth is and public events; members their groups and events."""
    groups = my_groups(current_user) if current_user.is_authenticated else []
    return render_template(
        "main/home.html", my_groups=groups, upcoming_events=upcoming_for_home(current_user)
    )
