"""The home page."""

from flask import render_template
from flask_login import current_user

from webapp.events.queries import upcoming_for_home
from webapp.groups.queries import my_groups
from webapp.main import bp
from webapp.polls.queries import polls_waiting_for


@bp.get("/")
def home():
    """Visitors see what Hearth is and public events; members their groups, events and the
    polls waiting for their vote."""
    signed_in = current_user.is_authenticated
    return render_template(
        "main/home.html",
        my_groups=my_groups(current_user) if signed_in else [],
        upcoming_events=upcoming_for_home(current_user),
        waiting_polls=polls_waiting_for(current_user) if signed_in else [],
    )
