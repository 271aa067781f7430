"""Polls: questions a group (or one of its events) decides by voting, with live results.
The poll page, voting and the results' live part are views.py; the organisers' actions
(options, closing, who voted what) are manage_polls.py, under a nested blueprint that
loads and authorises the poll before any view runs."""

from flask import Blueprint, abort, g
from flask_login import current_user

from webapp.extensions import login_manager

bp = Blueprint("polls", __name__)
manage = Blueprint("manage", __name__, url_prefix="/polls/<int:poll_id>/manage")


@manage.url_value_preprocessor
def load_managed_poll(endpoint, values):
    """Every manage view gets g.poll, already checked: log in first, 404 to those who may
    not see the poll, 403 to those who may see but not manage it."""
    from webapp.polls.access import can_manage_poll, get_poll

    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    g.poll = get_poll(values.pop("poll_id"), need=can_manage_poll)


bp.register_blueprint(manage)


def attach_views():
    """Import the modules whose routes attach to bp and its manage blueprint (see create_app)."""
    from webapp.polls import manage_polls, views  # noqa: F401
